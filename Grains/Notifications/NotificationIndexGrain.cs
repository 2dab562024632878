using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>The persisted id → outbox entry of one notification.</summary>
public sealed class NotificationIndexGrain(
    [PersistentState("notification-index")] IPersistentState<NotificationIndexState> state) : Grain, INotificationIndexGrain
{
    public async Task Register(string notifierKey)
    {
        state.State.NotifierKey = notifierKey;
        await state.WriteStateAsync();

        // Entries are written once and read rarely: keeping a batch's worth of them in memory is waste.
        DeactivateOnIdle();
    }

    public Task<string?> Find() => Task.FromResult(state.State.NotifierKey);

    public async Task Forget()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        DeactivateOnIdle();
    }
}
