// The custom-code surface as Microsoft documents it (ScriptBase, IScriptContext) plus the undocumented
// Context.OriginalRequestUri that certified connectors use. Compiled into its own assembly so that
// script.csx sees exactly these public members and nothing of the host.
using System;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

[assembly: InternalsVisibleTo("ScriptHostRunner")]

public abstract class ScriptBase
{
    public IScriptContext Context { get; internal set; }

    public CancellationToken CancellationToken { get; internal set; }

    public static StringContent CreateJsonContent(string serializedJson)
    {
        return new StringContent(serializedJson, Encoding.UTF8, "application/json");
    }

    public abstract Task<HttpResponseMessage> ExecuteAsync();
}

public interface IScriptContext
{
    string CorrelationId { get; }

    string OperationId { get; }

    HttpRequestMessage Request { get; }

    ILogger Logger { get; }

    // Undocumented; the URL the platform called on the connector (null when the platform gives none).
    Uri OriginalRequestUri { get; }

    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

// A minimal stand-in for Microsoft.Extensions.Logging.Abstractions, which Debian does not package:
// the same names and signatures for what custom code calls.
namespace Microsoft.Extensions.Logging
{
    public enum LogLevel
    {
        Trace = 0,
        Debug = 1,
        Information = 2,
        Warning = 3,
        Error = 4,
        Critical = 5,
        None = 6,
    }

    public struct EventId
    {
        public EventId(int id, string name = null)
        {
            Id = id;
            Name = name;
        }

        public int Id { get; private set; }

        public string Name { get; private set; }

        public static implicit operator EventId(int id)
        {
            return new EventId(id);
        }

        public override string ToString()
        {
            return Name ?? Id.ToString();
        }
    }

    public interface ILogger
    {
        void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter);

        bool IsEnabled(LogLevel logLevel);

        IDisposable BeginScope<TState>(TState state);
    }

    public static class LoggerExtensions
    {
        public static void LogTrace(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Trace, null, message, args); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Debug, null, message, args); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Information, null, message, args); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Warning, null, message, args); }
        public static void LogError(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Error, null, message, args); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Critical, null, message, args); }
        public static void LogWarning(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Warning, exception, message, args); }
        public static void LogError(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Error, exception, message, args); }
        public static void LogCritical(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Critical, exception, message, args); }

        public static void Log(this ILogger logger, LogLevel logLevel, string message, params object[] args)
        {
            logger.Log(logLevel, null, message, args);
        }

        public static void Log(this ILogger logger, LogLevel logLevel, Exception exception, string message, params object[] args)
        {
            string text = FormatTemplate(message, args);
            logger.Log<string>(logLevel, new EventId(0), text, exception, (s, e) => s);
        }

        // Message templates use named holes ("{Count}") filled by position; with no arguments the text is kept as is.
        internal static string FormatTemplate(string template, object[] args)
        {
            if (template == null) return string.Empty;
            if (args == null || args.Length == 0) return template;
            var output = new StringBuilder();
            int next = 0;
            for (int i = 0; i < template.Length; i++)
            {
                char c = template[i];
                if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { output.Append('{'); i++; continue; }
                if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { output.Append('}'); i++; continue; }
                int close = c == '{' ? template.IndexOf('}', i + 1) : -1;
                if (close > i && next < args.Length)
                {
                    object value = args[next++];
                    output.Append(value == null ? "(null)" : value.ToString());
                    i = close;
                    continue;
                }
                output.Append(c);
            }
            return output.ToString();
        }
    }
}
