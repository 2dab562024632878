namespace WeDrawOS.Front.Auth;

/// <summary>A token with a valid signature and lifetime that the contract still refuses (no <c>sub</c>); the message is safe to show.</summary>
public sealed class TokenRefusedException(string message) : Exception(message);
