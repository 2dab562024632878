namespace WeDrawOS.Tests.Sockets;

/// <summary>Reads the header of a WebSocket frame (RFC 6455 §5.2) as written by a server: unmasked.</summary>
public static class WebSocketFrames
{
    public const byte PingFrameFirstByte = 0x89;

    /// <summary>The opcode and FIN bit, and the payload length the header announces.</summary>
    public static (int Opcode, bool Fin, long PayloadLength, int HeaderLength) Header(byte[] frame)
    {
        var opcode = frame[0] & 0x0F;
        var fin = (frame[0] & 0x80) != 0;
        var length = frame[1] & 0x7F;
        return length switch
        {
            126 => (opcode, fin, (frame[2] << 8) | frame[3], 4),
            127 => (opcode, fin, (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(2, 8)), 10),
            _ => (opcode, fin, length, 2),
        };
    }

    /// <summary>The status code of a close frame.</summary>
    public static int CloseStatus(byte[] frame)
    {
        var header = Header(frame);
        return (frame[header.HeaderLength] << 8) | frame[header.HeaderLength + 1];
    }
}
