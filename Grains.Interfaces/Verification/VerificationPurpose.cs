namespace WeDrawOS.Grains.Interfaces.Verification;

/// <summary>What a code is for (<c>login</c>, <c>reset_password</c>, ...): a short token, so it can key state and logs safely.</summary>
public static class VerificationPurpose
{
    public const int MaxLength = 64;

    public static bool IsValid(string? purpose) =>
        !string.IsNullOrEmpty(purpose) && purpose.Length <= MaxLength
        && purpose.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':');

    /// <exception cref="ArgumentException">when the purpose is not 1 to 64 of A-Z a-z 0-9 _ - . :</exception>
    public static void Validate(string? purpose)
    {
        if (!IsValid(purpose))
        {
            throw new ArgumentException($"purpose must be 1 to {MaxLength} characters of A-Z a-z 0-9 _ - . :", nameof(purpose));
        }
    }
}
