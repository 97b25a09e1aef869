using Receiver.Web.Hosting;

var app = ReceiverApp.Build(args);
await app.RunAsync();
