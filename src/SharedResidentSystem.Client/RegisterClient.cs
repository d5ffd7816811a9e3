using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Polly.CircuitBreaker;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Contracts.Protection.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Staff.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;

namespace SharedResidentSystem.Client;

/// <summary>How long one attempt of a call may take.</summary>
public enum CallWeight
{
    Read,
    Write,
    Document,
}

/// <summary>
/// The register as a counter terminal sees it. Every call carries the clerk's token and a
/// deadline; UNAVAILABLE and DEADLINE_EXCEEDED are retried with the same request message (so
/// a write keeps its request_id and is recorded once); a refusal comes back as a typed
/// <see cref="CallProblem"/> rather than an exception. Thread-safe; one per terminal.
/// </summary>
public sealed class RegisterClient : IDisposable
{
    private readonly RegisterClientOptions _options;
    private readonly GrpcChannel _channel;
    private readonly Resilience _resilience;

    public RegisterClient(RegisterClientOptions options)
    {
        _options = options;
        _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = options.HttpHandler ?? new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = true,
            // Retries are the pipeline's; the channel's own would resend without our bookkeeping.
            MaxRetryAttempts = 0,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _resilience = new Resilience(options, notice => Retrying?.Invoke(notice));
        var invoker = _channel.Intercept(AttachToken);
        Tenants = new TenantService.TenantServiceClient(invoker);
        Residents = new ResidentService.ResidentServiceClient(invoker);
        Registration = new RegistrationService.RegistrationServiceClient(invoker);
        Review = new ReviewService.ReviewServiceClient(invoker);
        Certificates = new CertificateService.CertificateServiceClient(invoker);
        MoveOutCertificates = new MoveOutCertificateService.MoveOutCertificateServiceClient(invoker);
        Suppressions = new SuppressionService.SuppressionServiceClient(invoker);
        SupportMeasures = new SupportMeasureService.SupportMeasureServiceClient(invoker);
        StaffSession = new StaffSessionService.StaffSessionServiceClient(invoker);
        Intake = new IntakeService.IntakeServiceClient(invoker);
        InputAssist = new InputAssistService.InputAssistServiceClient(invoker);
        CsLink = new CsLinkService.CsLinkServiceClient(invoker);
        Jobs = new Contracts.Jobs.V1.JobService.JobServiceClient(invoker);
        Indicators = new Contracts.Analytics.V1.IndicatorService.IndicatorServiceClient(invoker);
    }

    /// <summary>Told before each retry (the terminal shows that it is resending).</summary>
    public event Action<RetryNotice>? Retrying;

    /// <summary>Whether the circuit is open: the server failed repeatedly just now, and new calls fail at once.</summary>
    public bool ServerDown => _resilience.IsOpen;

    // The generated clients, for calls this class has no typed method for (they still get the token).
    public TenantService.TenantServiceClient Tenants { get; }

    public ResidentService.ResidentServiceClient Residents { get; }

    public RegistrationService.RegistrationServiceClient Registration { get; }

    public ReviewService.ReviewServiceClient Review { get; }

    public CertificateService.CertificateServiceClient Certificates { get; }

    public MoveOutCertificateService.MoveOutCertificateServiceClient MoveOutCertificates { get; }

    public SuppressionService.SuppressionServiceClient Suppressions { get; }

    public SupportMeasureService.SupportMeasureServiceClient SupportMeasures { get; }

    public StaffSessionService.StaffSessionServiceClient StaffSession { get; }

    public IntakeService.IntakeServiceClient Intake { get; }

    public InputAssistService.InputAssistServiceClient InputAssist { get; }

    public CsLinkService.CsLinkServiceClient CsLink { get; }

    public Contracts.Jobs.V1.JobService.JobServiceClient Jobs { get; }

    public Contracts.Analytics.V1.IndicatorService.IndicatorServiceClient Indicators { get; }

    /// <summary>Who the token says is signed in (city, staff, name, 所属, roles, terminal).</summary>
    public Task<CallResult<Session>> GetSessionAsync(CancellationToken ct = default) =>
        CallAsync(new GetSessionRequest(), StaffSession.GetSessionAsync, CallWeight.Read, ct);

    /// <summary>The staff member's own password change (10.3).</summary>
    public Task<CallResult<ChangePasswordResponse>> ChangePasswordAsync(ChangePasswordRequest request, CancellationToken ct = default) =>
        CallAsync(request, StaffSession.ChangePasswordAsync, CallWeight.Write, ct);

    /// <summary>The screen lock: the signed-in staff member's password again (a wrong one counts towards the lockout).</summary>
    public Task<CallResult<ConfirmPasswordResponse>> ConfirmPasswordAsync(string password, CancellationToken ct = default) =>
        CallAsync(new ConfirmPasswordRequest { Password = password }, StaffSession.ConfirmPasswordAsync, CallWeight.Read, ct);

    // --- reads ---------------------------------------------------------------------------

    public Task<CallResult<Tenant>> GetTenantAsync(CancellationToken ct = default) =>
        CallAsync(new GetTenantRequest(), Tenants.GetTenantAsync, CallWeight.Read, ct);

    public Task<CallResult<SearchResidentsResponse>> SearchResidentsAsync(SearchResidentsRequest request, CancellationToken ct = default) =>
        CallAsync(request, Residents.SearchResidentsAsync, CallWeight.Read, ct);

    public Task<CallResult<Resident>> GetResidentAsync(GetResidentRequest request, CancellationToken ct = default) =>
        CallAsync(request, Residents.GetResidentAsync, CallWeight.Read, ct);

    public Task<CallResult<Household>> GetHouseholdAsync(GetHouseholdRequest request, CancellationToken ct = default) =>
        CallAsync(request, Residents.GetHouseholdAsync, CallWeight.Read, ct);

    public Task<CallResult<ListResidentIdouResponse>> ListResidentIdouAsync(ListResidentIdouRequest request, CancellationToken ct = default) =>
        CallAsync(request, Residents.ListResidentIdouAsync, CallWeight.Read, ct);

    public Task<CallResult<ListPendingIdouResponse>> ListPendingIdouAsync(ListPendingIdouRequest request, CancellationToken ct = default) =>
        CallAsync(request, Review.ListPendingIdouAsync, CallWeight.Read, ct);

    /// <summary>7.1.2.4: whether the 住基ネット link works, and how many messages wait or failed.</summary>
    public Task<CallResult<CsLinkStatus>> GetCsLinkStatusAsync(CancellationToken ct = default) =>
        CallAsync(new GetCsLinkStatusRequest(), CsLink.GetCsLinkStatusAsync, CallWeight.Read, ct);

    /// <summary>7.1.1.1: the city's CS messages (the error list with state FAILED).</summary>
    public Task<CallResult<ListCsMessagesResponse>> ListCsMessagesAsync(ListCsMessagesRequest request, CancellationToken ct = default) =>
        CallAsync(request, CsLink.ListCsMessagesAsync, CallWeight.Read, ct);

    /// <summary>4.1.3.1.2: what the city received from the CS (the 取込エラー一覧 with state NEEDS_REVIEW).</summary>
    public Task<CallResult<ListCsInboundResponse>> ListCsInboundAsync(ListCsInboundRequest request, CancellationToken ct = default) =>
        CallAsync(request, CsLink.ListCsInboundAsync, CallWeight.Read, ct);

    public Task<CallResult<ListIssuancesResponse>> ListIssuancesAsync(ListIssuancesRequest request, CancellationToken ct = default) =>
        CallAsync(request, Certificates.ListIssuancesAsync, CallWeight.Read, ct);

    /// <summary>9.2: the 抑止 in force (supervisors).</summary>
    public Task<CallResult<ListSuppressionsResponse>> ListSuppressionsAsync(ListSuppressionsRequest request, CancellationToken ct = default) =>
        CallAsync(request, Suppressions.ListSuppressionsAsync, CallWeight.Read, ct);

    /// <summary>Needs no token: anyone holding a certificate may check it.</summary>
    public Task<CallResult<VerifyCertificateResponse>> VerifyCertificateAsync(string code, CancellationToken ct = default) =>
        CallAsync(new VerifyCertificateRequest { Code = code }, Certificates.VerifyCertificateAsync, CallWeight.Read, ct);

    /// <summary>A CSV of data written elsewhere (10.8) as a pre-filled request; records nothing.</summary>
    public Task<CallResult<ReadIntakeCsvResponse>> ReadIntakeCsvAsync(IntakeKind kind, string csv, CancellationToken ct = default) =>
        CallAsync(new ReadIntakeCsvRequest { Kind = kind, Csv = csv }, Intake.ReadIntakeCsvAsync, CallWeight.Read, ct);

    /// <summary>住所入力補助 (1.3.3): the city's places for a 郵便番号 or the first kana of each part.</summary>
    public Task<CallResult<SuggestAddressResponse>> SuggestAddressAsync(string query, CancellationToken ct = default) =>
        CallAsync(new SuggestAddressRequest { Query = query }, InputAssist.SuggestAddressAsync, CallWeight.Read, ct);

    // --- 異動 (each records one 異動; request_id is filled in when empty) --------------------

    public Task<CallResult<RecordIdouResponse>> RecordMoveInAsync(RecordMoveInRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordMoveInAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordMoveOutAsync(RecordMoveOutRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordMoveOutAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordAddressChangeAsync(RecordAddressChangeRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordAddressChangeAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordBirthAsync(RecordBirthRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordBirthAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordDeathAsync(RecordDeathRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordDeathAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordHouseholdChangeAsync(RecordHouseholdChangeRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordHouseholdChangeAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordHeadChangeAsync(RecordHeadChangeRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordHeadChangeAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> CorrectResidentAsync(CorrectResidentRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.CorrectResidentAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordAmendmentAsync(RecordAmendmentRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordAmendmentAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordOfficialEntryAsync(RecordOfficialEntryRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordOfficialEntryAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordOfficialRemovalAsync(RecordOfficialRemovalRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordOfficialRemovalAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordCancellationAsync(RecordCancellationRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordCancellationAsync, CallWeight.Write, ct);

    public Task<CallResult<RecordIdouResponse>> RecordMoveInNoticeAsync(RecordMoveInNoticeRequest r, CancellationToken ct = default) =>
        CallAsync(r, Registration.RecordMoveInNoticeAsync, CallWeight.Write, ct);

    public Task<CallResult<ApprovePendingIdouResponse>> ApprovePendingIdouAsync(ApprovePendingIdouRequest r, CancellationToken ct = default) =>
        CallAsync(r, Review.ApprovePendingIdouAsync, CallWeight.Write, ct);

    /// <summary>The city's jobs (9.x), in the order started (supervisors).</summary>
    public Task<CallResult<Contracts.Jobs.V1.ListOperationsResponse>> ListOperationsAsync(Contracts.Jobs.V1.ListOperationsRequest r, CancellationToken ct = default) =>
        CallAsync(r, Jobs.ListOperationsAsync, CallWeight.Read, ct);

    /// <summary>Asks a running job to stop after its current step (supervisors).</summary>
    public Task<CallResult<Contracts.Jobs.V1.Operation>> CancelOperationAsync(Contracts.Jobs.V1.CancelOperationRequest r, CancellationToken ct = default) =>
        CallAsync(r, Jobs.CancelOperationAsync, CallWeight.Write, ct);

    /// <summary>一時解除 of a 抑止 for one clerk, for some minutes (supervisors).</summary>
    public Task<CallResult<Suppression>> ReleaseSuppressionAsync(ReleaseSuppressionRequest r, CancellationToken ct = default) =>
        CallAsync(r, Suppressions.ReleaseSuppressionAsync, CallWeight.Write, ct);

    // --- certificates ----------------------------------------------------------------------

    public Task<CallResult<IssueCertificateResponse>> IssueCertificateAsync(IssueCertificateRequest r, CancellationToken ct = default) =>
        CallAsync(r, Certificates.IssueCertificateAsync, CallWeight.Document, ct);

    /// <summary>The exact bytes of a ledger entry again (the reprint is logged as a print).</summary>
    public Task<CallResult<IssueCertificateResponse>> ReprintIssuanceAsync(ReprintIssuanceRequest r, CancellationToken ct = default) =>
        CallAsync(r, Certificates.ReprintIssuanceAsync, CallWeight.Document, ct);

    public Task<CallResult<IssueCertificateResponse>> PreviewCertificateAsync(IssueCertificateRequest r, CancellationToken ct = default) =>
        CallAsync(r, Certificates.PreviewCertificateAsync, CallWeight.Document, ct);

    /// <summary>
    /// Any unary call of the contract with the client's token, deadline, retries and typed
    /// refusals. A request with a request_id field gets one when it has none; every attempt
    /// sends the same message.
    /// </summary>
    public async Task<CallResult<TResponse>> CallAsync<TRequest, TResponse>(
        TRequest request, Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> call, CallWeight weight, CancellationToken ct = default)
        where TRequest : IMessage
        where TResponse : class
    {
        var requestId = RequestIds.Ensure(request);
        var info = new Resilience.CallInfo(request.Descriptor.Name, requestId);
        if (_resilience.IsOpen)
        {
            return CallResult.Failed<TResponse>(Unreachable("直前の呼出しでサーバーが応答しませんでした", requestId, 0));
        }
        try
        {
            var response = await _resilience.ExecuteAsync(info, async token =>
            {
                var deadline = _options.Time.GetUtcNow().UtcDateTime + DeadlineOf(weight);
                return await call(request, new CallOptions(deadline: deadline, cancellationToken: token));
            }, ct);
            return CallResult.Ok(response, requestId, info.Attempts);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !ct.IsCancellationRequested)
        {
            return CallResult.Failed<TResponse>(ProblemDecoder.FromRpc(e) with { RequestId = requestId, Attempts = info.Attempts });
        }
        catch (BrokenCircuitException)
        {
            return CallResult.Failed<TResponse>(Unreachable("サーバーが続けて応答しませんでした", requestId, info.Attempts));
        }
    }

    public void Dispose() => _channel.Dispose();

    private static CallProblem Unreachable(string detail, string requestId, int attempts) =>
        new(ProblemKind.Unavailable, StatusCode.Unavailable, "UNAVAILABLE", ProblemDecoder.Unreachable(detail), [], [])
        {
            RequestId = requestId,
            Attempts = attempts,
        };

    private TimeSpan DeadlineOf(CallWeight weight) => weight switch
    {
        CallWeight.Write => _options.WriteDeadline,
        CallWeight.Document => _options.DocumentDeadline,
        _ => _options.ReadDeadline,
    };

    private Metadata AttachToken(Metadata metadata)
    {
        var token = _options.Token();
        if (!string.IsNullOrWhiteSpace(token))
        {
            metadata.Add("authorization", $"Bearer {token}");
        }
        return metadata;
    }
}
