using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SharedResidentSystem.Core.Telemetry;

namespace SharedResidentSystem.Server.Hosting;

/// <summary>
/// Traces and metrics by configuration (section "Telemetry"): ASP.NET Core and gRPC calls, EF
/// Core commands (their text with parameters, never the values), the runtime, and the register's
/// own (<see cref="SrsTelemetry"/>: 異動 by kind, certificates, access-log commits, outbox lag,
/// job progress); sent over OTLP, and metrics offered to Prometheus on a port of their own.
/// </summary>
public static class TelemetryHosting
{
    public const string ScrapePath = "/metrics";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, ServerOptions server, TelemetryOptions telemetry)
    {
        var otlp = !string.IsNullOrWhiteSpace(telemetry.OtlpEndpoint);
        var prometheus = telemetry.PrometheusPort != 0;
        if (!otlp && !prometheus)
        {
            return builder;
        }
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(SrsTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.EntityFrameworkCore");
            if (otlp)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Exporter(exporter, telemetry, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = telemetry.ExportIntervalMilliseconds;
                });
            }
            if (prometheus)
            {
                metrics.AddPrometheusExporter(o => o.ScrapeEndpointPath = ScrapePath);
            }
        });
        if (otlp)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(SrsTelemetry.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes are not calls of the register.
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal)
                        && !context.Request.Path.StartsWithSegments(ScrapePath, StringComparison.Ordinal);
                    o.RecordException = false;
                })
                // The commands' text only (literals shown as ?): their parameters' values
                // (db.query.parameter.*) are off by default and stay off. Only the commands of a
                // call or a job step: the background loops' polls would flood the traces.
                .AddEntityFrameworkCoreInstrumentation(o => o.Filter = (_, _) => WithinWork(System.Diagnostics.Activity.Current))
                .AddOtlpExporter(exporter =>
                {
                    Exporter(exporter, telemetry, "v1/traces");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = telemetry.ExportIntervalMilliseconds;
                }));
        }
        if (prometheus)
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(System.Net.IPAddress.Parse(server.Host), telemetry.PrometheusPort, listen => listen.Protocols = HttpProtocols.Http1));
        }
        return builder;
    }

    /// <summary>The scrape endpoint, answered on the Prometheus port only.</summary>
    public static WebApplication MapTelemetry(this WebApplication app, TelemetryOptions telemetry)
    {
        if (telemetry.PrometheusPort != 0)
        {
            app.MapPrometheusScrapingEndpoint(ScrapePath).RequireHost($"*:{telemetry.PrometheusPort}");
        }
        return app;
    }

    private const string EntityFrameworkSource = "OpenTelemetry.Instrumentation.EntityFrameworkCore";

    /// <summary>Whether a command runs within a call or a job step: the current span is one of those, or the command's own span under one.</summary>
    private static bool WithinWork(System.Diagnostics.Activity? current) =>
        current is not null && (current.Source.Name != EntityFrameworkSource || current.Parent is not null);

    private static void Exporter(OtlpExporterOptions exporter, TelemetryOptions telemetry, string signal)
    {
        var http = telemetry.OtlpProtocol == "http/protobuf";
        exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // Over HTTP each signal has its own path under the collector's address.
        exporter.Endpoint = http ? new Uri(new Uri(telemetry.OtlpEndpoint!.TrimEnd('/') + "/"), signal) : new Uri(telemetry.OtlpEndpoint!);
    }
}
