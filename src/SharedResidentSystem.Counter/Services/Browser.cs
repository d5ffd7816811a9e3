using Microsoft.JSInterop;

namespace SharedResidentSystem.Counter.Services;

/// <summary>The few things the counter asks of the browser itself (wwwroot/counter.js).</summary>
public sealed class Browser(IJSRuntime js)
{
    public ValueTask<string?> GetSessionAsync(string key) => js.InvokeAsync<string?>("srsCounter.getSession", key);

    public ValueTask SetSessionAsync(string key, string value) => js.InvokeVoidAsync("srsCounter.setSession", key, value);

    public ValueTask RemoveSessionAsync(string key) => js.InvokeVoidAsync("srsCounter.removeSession", key);

    public ValueTask<string?> GetLocalAsync(string key) => js.InvokeAsync<string?>("srsCounter.getLocal", key);

    public ValueTask SetLocalAsync(string key, string value) => js.InvokeVoidAsync("srsCounter.setLocal", key, value);

    /// <summary>An object URL for bytes (a PDF for the preview frame); release it with <see cref="ReleaseAsync"/>.</summary>
    public ValueTask<string> ObjectUrlAsync(byte[] bytes, string type) => js.InvokeAsync<string>("srsCounter.objectUrl", bytes, type);

    public ValueTask ReleaseAsync(string url) => js.InvokeVoidAsync("srsCounter.release", url);

    /// <summary>Saves bytes as a file (the browser's download).</summary>
    public ValueTask DownloadAsync(byte[] bytes, string type, string fileName) => js.InvokeVoidAsync("srsCounter.download", bytes, type, fileName);

    /// <summary>Prints the PDF shown in the frame with this id.</summary>
    public ValueTask PrintFrameAsync(string id) => js.InvokeVoidAsync("srsCounter.printFrame", id);

    /// <summary>Moves the focus to the element with this id (after a screen changes, to its first field or its error).</summary>
    public ValueTask FocusAsync(string id) => js.InvokeVoidAsync("srsCounter.focus", id);

    /// <summary>Tells the counter of every key and click, for the idle lock.</summary>
    public ValueTask WatchActivityAsync<T>(DotNetObjectReference<T> target) where T : class => js.InvokeVoidAsync("srsCounter.watchActivity", target);
}
