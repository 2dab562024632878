namespace WeDrawOS.Front.Sockets;

/// <summary>Makes the <see cref="IMessageSource"/> of a room or of a user's inbox (the front, which talks to the grains).</summary>
internal interface IMessageSources
{
    IMessageSource RoomSource(string room);

    IMessageSource InboxSource(string userId);
}
