// This file is part of ExchangeHub.

using System.Security.Cryptography;
using ExchangeHub.Core.Ledger.Notes;
using V = ExchangeHub.Core.Tests.Ledger.Notes.NoteTestVectors;

namespace ExchangeHub.Core.Tests.Ledger.Notes;

public sealed class CheckpointTests
{
    private const string Origin = "exchangehub.example/disclosures";
    private static readonly byte[] _root = SHA256.HashData("root"u8);
    private static readonly string _rootBase64 = Convert.ToBase64String(_root);

    [Fact]
    public void Parse_SpecExample_ParsesFields()
    {
        var checkpoint = Checkpoint.Parse(V.SpecCheckpointBody);

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), checkpoint.RootHash);
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(V.SpecCheckpointBody, checkpoint.Format());
    }

    [Fact]
    public void Format_WithExtensions_RoundTrips()
    {
        var checkpoint = new Checkpoint(Origin, 42, _root, ["ext one", "ext two"]);

        var body = checkpoint.Format();

        Assert.Equal($"{Origin}\n42\n{_rootBase64}\next one\next two\n", body);
        Assert.Equal(checkpoint, Checkpoint.Parse(body));
    }

    [Fact]
    public void Parse_SizeZero_Accepted()
    {
        Assert.Equal(0, Checkpoint.Parse($"{Origin}\n0\n{_rootBase64}\n").Size);
    }

    [Fact]
    public void Parse_MaximumSize_Accepted()
    {
        Assert.Equal(long.MaxValue, Checkpoint.Parse($"{Origin}\n9223372036854775807\n{_rootBase64}\n").Size);
    }

    [Fact]
    public void Parse_SizeWithLeadingZero_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n012\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_SizeDoubleZero_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n00\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_NegativeSize_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n-1\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_SizeWithPlusSign_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n+1\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_SizeWithSpace_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n 1\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_SizeInNonAsciiDigits_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n\u0661\u0662\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_SizeAboveSignedRange_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n9223372036854775808\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_NonBase64Root_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\nnot-base64!\n"));
    }

    [Fact]
    public void Parse_RootOf31Bytes_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\n{Convert.ToBase64String(new byte[31])}\n"));
    }

    [Fact]
    public void Parse_RootOf33Bytes_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\n{Convert.ToBase64String(new byte[33])}\n"));
    }

    [Fact]
    public void Parse_MissingFinalNewline_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\n{_rootBase64}"));
    }

    [Fact]
    public void Parse_TwoLines_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\n"));
    }

    [Fact]
    public void Parse_EmptyOrigin_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"\n1\n{_rootBase64}\n"));
    }

    [Fact]
    public void Parse_EmptyExtensionLine_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\n1\n{_rootBase64}\n\n"));
    }

    [Fact]
    public void Parse_ControlCharacterInOrigin_Throws()
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse($"{Origin}\t\n1\n{_rootBase64}\n"));
    }

    [Fact]
    public void Constructor_RootNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint(Origin, 1, new byte[20]));
    }

    [Fact]
    public void Constructor_NegativeSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint(Origin, -1, _root));
    }

    [Fact]
    public void Constructor_OriginWithNewline_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint("a\nb", 1, _root));
    }

    [Fact]
    public void With_InvalidRoot_Throws()
    {
        var checkpoint = new Checkpoint(Origin, 1, _root);

        Assert.Throws<ArgumentException>(() => checkpoint with { RootHash = new byte[3] });
    }

    [Fact]
    public void Equals_SameValues_Equal()
    {
        var first = new Checkpoint(Origin, 7, _root, ["x"]);
        var second = new Checkpoint(Origin, 7, (byte[])_root.Clone(), ["x"]);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, second with { Size = 8 });
    }

    [Fact]
    public void OpenCheckpoint_SignedByLog_ReturnsCheckpoint()
    {
        using var log = NoteSigner.Generate(Origin);
        var checkpoint = new Checkpoint(Origin, 1234, _root);

        var signed = Checkpoint.SignCheckpoint(checkpoint, log);

        Assert.StartsWith(checkpoint.Format() + "\n\u2014 " + Origin + " ", signed, StringComparison.Ordinal);
        Assert.Equal(checkpoint, Checkpoint.OpenCheckpoint(signed, log.VerifierKey, Origin));
    }

    [Fact]
    public void OpenCheckpoint_WrongOrigin_ThrowsWrongOrigin()
    {
        using var log = NoteSigner.Generate(Origin);
        var signed = Checkpoint.SignCheckpoint(new Checkpoint("other.example/log", 1, _root), log);

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.OpenCheckpoint(signed, log.VerifierKey, Origin));

        Assert.Equal(CheckpointFailure.WrongOrigin, e.Reason);
    }

    [Fact]
    public void OpenCheckpoint_SignedByAnotherKey_ThrowsNotSignedByLog()
    {
        using var log = NoteSigner.Generate(Origin);
        using var impostor = NoteSigner.Generate(Origin);
        var signed = Checkpoint.SignCheckpoint(new Checkpoint(Origin, 1, _root), impostor);

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.OpenCheckpoint(signed, log.VerifierKey, Origin));

        Assert.Equal(CheckpointFailure.NotSignedByLog, e.Reason);
    }

    [Fact]
    public void OpenCheckpoint_SizeTampered_ThrowsInvalidSignature()
    {
        using var log = NoteSigner.Generate(Origin);
        var signed = Checkpoint.SignCheckpoint(new Checkpoint(Origin, 1234, _root), log);
        var tampered = signed.Replace("\n1234\n", "\n1235\n", StringComparison.Ordinal);

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.OpenCheckpoint(tampered, log.VerifierKey, Origin));

        Assert.Equal(CheckpointFailure.InvalidSignature, e.Reason);
    }

    [Fact]
    public void OpenCheckpoint_MalformedNote_ThrowsMalformed()
    {
        using var log = NoteSigner.Generate(Origin);
        var signed = Checkpoint.SignCheckpoint(new Checkpoint(Origin, 1, _root), log);

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.OpenCheckpoint(signed.Replace("\n\n", "\n", StringComparison.Ordinal), log.VerifierKey, Origin));

        Assert.Equal(CheckpointFailure.Malformed, e.Reason);
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public void OpenCheckpoint_SignedNoteThatIsNoCheckpoint_ThrowsMalformed()
    {
        using var log = NoteSigner.Generate(Origin);
        var signed = SignedNote.Sign($"{Origin}\n012\n{_rootBase64}\n", log).Format();

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.OpenCheckpoint(signed, log.VerifierKey, Origin));

        Assert.Equal(CheckpointFailure.Malformed, e.Reason);
    }

    [Fact]
    public void OpenCheckpoint_WitnessCosignatureAlongside_IgnoresIt()
    {
        using var log = NoteSigner.Generate(Origin);
        using var witness = NoteSigner.Generate("witness.example/w1");
        var checkpoint = new Checkpoint(Origin, 9, _root);
        var note = SignedNote.Parse(Checkpoint.SignCheckpoint(checkpoint, log))
            .WithSignatures(Cosignatures.Cosign(checkpoint, witness, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

        Assert.Equal(checkpoint, Checkpoint.OpenCheckpoint(note.Format(), log.VerifierKey, Origin));
    }
}
