// An outside .NET service talking to the WeDrawOS realtime core through WeDrawOS.Client. It reads the same variables
// as the silos (CLUSTER_MODE, CLUSTER_ID, SERVICE_ID, REDIS_HOST, ...): with none set it joins the embedded cluster of
// a `dotnet run --project WebFront` on this machine.
//
//   dotnet run --project samples/WeDrawOS.Client.Sample -- [room] [user]
//
// It subscribes to the events stream, posts to the room (twice with the same client id: the second is a duplicate),
// sends a direct message to the user, prints the room's members and last messages, and waits for the event of its
// own room message. Exit code 0 when all of that happened, 1 when the event did not come, 2 on bad settings.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Realtime;

var room = args.Length > 0 ? args[0] : "sample-room";
var user = args.Length > 1 ? args[1] : "sample-user";

var builder = Host.CreateApplicationBuilder();
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
try
{
    builder.AddWeDrawOSClient();
}
catch (InvalidSettingsException e)
{
    return e.Report();
}

using var host = builder.Build();
await host.StartAsync();
var wedrawos = host.Services.GetRequiredService<IWeDrawOSClient>();

var clientId = "sample-" + Guid.NewGuid().ToString("N");
var ownMessageSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
await using (await wedrawos.SubscribeAsync(e =>
{
    Console.WriteLine($"event {e.Kind} user={e.UserId} room={e.Room ?? "-"}");
    if (e.Kind == RealtimeEventKinds.Message && e.Room == room && e.Message?.ClientId == clientId)
    {
        ownMessageSeen.TrySetResult();
    }

    return Task.CompletedTask;
}))
{
    var data = $$"""{"text":"hello from the sample","clientId":"{{clientId}}"}""";
    var posted = await wedrawos.PostToRoomAsync(room, data, from: "sample", clientId: clientId);
    Console.WriteLine($"posted room={room} seq={posted.Seq} duplicate={posted.Duplicate}");
    var again = await wedrawos.PostToRoomAsync(room, data, from: "sample", clientId: clientId);
    Console.WriteLine($"posted again room={room} seq={again.Seq} duplicate={again.Duplicate}");

    var sent = await wedrawos.SendToUserAsync(user, """{"text":"a direct message from the sample"}""", from: "sample");
    Console.WriteLine($"sent user={user} seq={sent.Seq} online={sent.Online}");

    foreach (var member in await wedrawos.MembersAsync(room))
    {
        Console.WriteLine($"member {member.UserId} online={member.Online}");
    }

    foreach (var message in (await wedrawos.HistoryAsync(room, limit: 5)).Messages)
    {
        Console.WriteLine($"history seq={message.Seq} from={message.From} data={message.Data}");
    }

    try
    {
        await ownMessageSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine("own message event received");
    }
    catch (TimeoutException)
    {
        Console.Error.WriteLine("the event of the posted message did not arrive within 30 s");
        return 1;
    }
}

await host.StopAsync();
return 0;
