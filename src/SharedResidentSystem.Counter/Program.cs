using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using SharedResidentSystem.Counter;
using SharedResidentSystem.Counter.Services;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
var settings = new CounterSettings();
builder.Configuration.GetSection("Counter").Bind(settings);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Browser>();
builder.Services.AddSingleton<CounterSession>();
builder.Services.AddSingleton<IntakeHandover>();
await builder.Build().RunAsync();
