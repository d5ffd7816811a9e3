namespace SharedResidentSystem.Core.Errors;

/// <summary>Stable reason codes (ErrorInfo.reason). Each is described in docs/errors.md.</summary>
public static class ErrorReasons
{
    public const string Domain = "srs.sharedresidentsystem";
    public const string InvalidField = "INVALID_FIELD";
    public const string RequiredField = "REQUIRED_FIELD";
    public const string NotFound = "NOT_FOUND";
    public const string InvalidResourceName = "INVALID_RESOURCE_NAME";
    public const string StaleEtag = "STALE_ETAG";
    public const string ConcurrentChange = "CONCURRENT_CHANGE";
    public const string RequestIdReused = "REQUEST_ID_REUSED";
    public const string RequestIdRequired = "REQUEST_ID_REQUIRED";
    public const string InvalidPageToken = "INVALID_PAGE_TOKEN";
    public const string InvalidResumeToken = "INVALID_RESUME_TOKEN";
    public const string LinkedSystemUnknown = "LINKED_SYSTEM_UNKNOWN";
    public const string ResidentRemoved = "RESIDENT_REMOVED";
    /// <summary>The resident is a 除票 moved to the 除票用データベース (9.3): read only until brought back.</summary>
    public const string ResidentArchived = "RESIDENT_ARCHIVED";
    /// <summary>10.1: no analytical copy of the city's register has been made yet (JOB_KIND_EUC_SNAPSHOT).</summary>
    public const string EucNoSnapshot = "EUC_NO_SNAPSHOT";
    /// <summary>10.1: the question is not one SELECT, or the engine refused it (its message says where).</summary>
    public const string EucQueryInvalid = "EUC_QUERY_INVALID";
    /// <summary>10.1: the question ran past Euc:TimeoutSeconds or beyond Euc:MemoryLimit.</summary>
    public const string EucQueryTooLarge = "EUC_QUERY_TOO_LARGE";
    /// <summary>10.1: the answer cannot be made in the asked form (too many rows for a PDF, a label without 住所 and 氏名).</summary>
    public const string EucOutputUnfit = "EUC_OUTPUT_UNFIT";
    public const string UnsupportedUpdateMask = "UNSUPPORTED_UPDATE_MASK";
    public const string AlertNotAcknowledged = "ALERT_NOT_ACKNOWLEDGED";
    public const string IndividualNumberInUse = "INDIVIDUAL_NUMBER_IN_USE";
    public const string ResidentCodeInUse = "RESIDENT_CODE_IN_USE";
    public const string DateBeforeRecord = "DATE_BEFORE_RECORD";
    public const string HouseholdRule = "HOUSEHOLD_RULE";
    public const string RecordRule = "RECORD_RULE";
    /// <summary>A CS message in a state that does not allow this (waiting, already sent, a sent 転出証明書情報).</summary>
    public const string CsMessageState = "CS_MESSAGE_STATE";
    /// <summary>No 住基ネット CS is configured (Cs:Address).</summary>
    public const string CsNotConfigured = "CS_NOT_CONFIGURED";
    /// <summary>The 住基ネット CS could not be reached; try again later.</summary>
    public const string CsUnreachable = "CS_UNREACHABLE";
    public const string ReentryRequired = "REENTRY_REQUIRED";
    public const string ResidentCodeStockEmpty = "RESIDENT_CODE_STOCK_EMPTY";
    public const string IdouNotCancellable = "IDOU_NOT_CANCELLABLE";
    public const string AddressMismatch = "ADDRESS_MISMATCH";
    public const string PendingIdou = "PENDING_IDOU";
    public const string PendingIdouDecided = "PENDING_IDOU_DECIDED";
    public const string SamePerson = "SAME_PERSON";
    public const string ApprovalRequired = "APPROVAL_REQUIRED";
    public const string Suppressed = "SUPPRESSED";
    public const string PerpetratorRequest = "PERPETRATOR_REQUEST";
    public const string SupportMeasureRule = "SUPPORT_MEASURE_RULE";
    public const string ConfigInvalid = "CONFIG_INVALID";
    public const string ConfigEffectiveInPast = "CONFIG_EFFECTIVE_IN_PAST";
    public const string ConfigUnchanged = "CONFIG_UNCHANGED";
    public const string TenantExists = "TENANT_EXISTS";
    public const string FunctionNotPermitted = "FUNCTION_NOT_PERMITTED";
    public const string RoleNotPermitted = "ROLE_NOT_PERMITTED";
    public const string TenantNotMember = "TENANT_NOT_MEMBER";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string ItemHidden = "ITEM_HIDDEN";
    public const string EntitlementExceeded = "ENTITLEMENT_EXCEEDED";
    public const string TerminalNotRegistered = "TERMINAL_NOT_REGISTERED";
    public const string NoAuthenticator = "NO_AUTHENTICATOR";
    public const string OptionDisabled = "OPTION_DISABLED";
    public const string NotEligible = "NOT_ELIGIBLE";
    public const string RequestLimit = "REQUEST_LIMIT";
    public const string TooManyCalls = "TOO_MANY_CALLS";
    public const string MalformedRequest = "MALFORMED_REQUEST";
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";
    public const string Internal = "INTERNAL";
    /// <summary>A staff account with this ID already exists in the city.</summary>
    public const string StaffExists = "STAFF_EXISTS";
    /// <summary>A password does not meet the sign-in's password policy.</summary>
    public const string PasswordPolicy = "PASSWORD_POLICY";
    /// <summary>The password given to open the screen lock is not the staff member's.</summary>
    public const string PasswordWrong = "PASSWORD_WRONG";
    /// <summary>A migration export would overwrite a folder that already exists.</summary>
    public const string MigrationFolderExists = "MIGRATION_FOLDER_EXISTS";
    /// <summary>A resumed migration import was given files other than those the stopped import stored.</summary>
    public const string MigrationResumeMismatch = "MIGRATION_RESUME_MISMATCH";
    /// <summary>A job of the same kind is still running in the city (one at a time).</summary>
    public const string JobRunning = "JOB_RUNNING";
}
