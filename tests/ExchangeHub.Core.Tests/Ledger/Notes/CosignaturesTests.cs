// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Core.Ledger.Notes;
using V = ExchangeHub.Core.Tests.Ledger.Notes.NoteTestVectors;

namespace ExchangeHub.Core.Tests.Ledger.Notes;

public sealed class CosignaturesTests
{
    private static readonly DateTimeOffset _specTime = DateTimeOffset.FromUnixTimeSeconds(V.SpecCosignatureTime);

    [Fact]
    public void Cosign_IndependentlyComputedVector_ProducesSameLine()
    {
        using var witness = new NoteSigner(V.IndependentWitnessName, Convert.FromHexString(V.IndependentWitnessSeedHex));

        var line = Cosignatures.Cosign(Checkpoint.Parse(V.SpecCheckpointBody), witness, _specTime);

        Assert.Equal(V.IndependentWitnessKey, witness.CosignatureVerifierKey.Format());
        Assert.Equal(V.IndependentCosignatureLine, line.FormatLine());
    }

    [Fact]
    public void Verify_IndependentlyComputedVector_TrueWithTime()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);

        Assert.True(Cosignatures.Verify(V.SpecCheckpointBody, line, key, out var time));
        Assert.Equal(_specTime, time);
    }

    [Fact]
    public void SpecExample_CosignatureBytes_AreKeyHashTimestampAndSignature()
    {
        // c2sp.org/tlog-cosignature's example line: 4 + 8 + 64 bytes, and its timestamp is the one in the spec's
        // example signed message.
        var raw = Convert.FromBase64String(V.SpecCosignatureBase64);
        var line = NoteSignature.ParseLine("\u2014 witness.example.com/w1 " + V.SpecCosignatureBase64 + "\n");

        Assert.Equal(76, raw.Length);
        Assert.Equal(72, line.Signature.Length);
        Assert.Equal((ulong)V.SpecCosignatureTime, BinaryPrimitives.ReadUInt64BigEndian(line.Signature));
    }

    [Fact]
    public void TransparencyDevVector_CosignatureBytes_CarryPublishedTimestamp()
    {
        var raw = Convert.FromBase64String(V.TransparencyDevCosignatureBase64);

        Assert.Equal(76, raw.Length);
        Assert.Equal(1727964367UL, BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(4, 8)));
    }

    [Theory]
    [InlineData(V.RemoraCosignatureKey, "remora.n621.de", 0xda77ade7u)]
    [InlineData(V.SigsumCosignatureKey, "example.org/key", 0x57bfe580u)]
    public void CosignatureVerifierKey_PublishedKeys_KeyHashMatches(string text, string name, uint hash)
    {
        var key = CosignatureVerifierKey.Parse(text);

        Assert.Equal(name, key.Name);
        Assert.Equal(hash, key.KeyHash);
        Assert.Equal(text, key.Format());
    }

    [Theory]
    [InlineData(V.PeterVerifierKey)]
    [InlineData("remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2")]
    [InlineData("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw")]
    [InlineData("remora.n621.de+da77ade7")]
    public void CosignatureVerifierKey_MalformedOrType1Key_Throws(string text)
    {
        Assert.Throws<FormatException>(() => CosignatureVerifierKey.Parse(text));
    }

    [Fact]
    public void Cosign_ByteLayout_MatchesSpec()
    {
        using var witness = NoteSigner.Generate("witness.example/w1");
        var body = V.SpecCheckpointBody;
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var line = Cosignatures.Cosign(body, witness, time);

        var expectedHash = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(
            [.. "witness.example/w1\n"u8, 0x04, .. witness.VerifierKey.PublicKey]));
        Assert.Equal("witness.example/w1", line.Name);
        Assert.Equal(expectedHash, line.KeyHash);
        Assert.Equal(witness.CosignatureVerifierKey.KeyHash, line.KeyHash);
        var raw = line.Signature;
        Assert.Equal(72, raw.Length);
        Assert.Equal(1_700_000_000UL, BinaryPrimitives.ReadUInt64BigEndian(raw));
        var message = Encoding.UTF8.GetBytes("cosignature/v1\ntime 1700000000\n" + body);
        Assert.True(witness.VerifierKey.Verify(message, raw.AsSpan(8)));
    }

    [Fact]
    public void Cosign_SubSecondTime_SignsWholeSeconds()
    {
        using var witness = NoteSigner.Generate("witness.example/w1");
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_999);

        var line = Cosignatures.Cosign(V.SpecCheckpointBody, witness, time);

        Assert.True(Cosignatures.Verify(V.SpecCheckpointBody, line, witness.CosignatureVerifierKey, out var signedTime));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), signedTime);
    }

    [Fact]
    public void Cosign_TimeBeforeEpoch_Throws()
    {
        using var witness = NoteSigner.Generate("witness.example/w1");

        Assert.Throws<ArgumentOutOfRangeException>(() => Cosignatures.Cosign(V.SpecCheckpointBody, witness, DateTimeOffset.UnixEpoch.AddSeconds(-1)));
    }

    [Fact]
    public void Cosign_BodyNotCheckpoint_Throws()
    {
        using var witness = NoteSigner.Generate("witness.example/w1");

        Assert.Throws<FormatException>(() => Cosignatures.Cosign("just a note\n", witness, _specTime));
    }

    [Fact]
    public void Verify_BodyChanged_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody.Replace("20852163", "20852164", StringComparison.Ordinal), line, key, out var time));
        Assert.Equal(default, time);
    }

    [Fact]
    public void Verify_ExtensionLineAdded_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody + "extension\n", line, key, out _));
    }

    [Fact]
    public void Verify_TimestampChanged_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);
        var raw = line.Signature;
        raw[7] ^= 0x01;

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line with { Signature = raw }, key, out _));
    }

    [Fact]
    public void Verify_SignatureByteChanged_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);
        var raw = line.Signature;
        raw[^1] ^= 0x01;

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line with { Signature = raw }, key, out _));
    }

    [Fact]
    public void Verify_NameChanged_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line with { Name = "witness.example.com/w2" }, key, out _));
    }

    [Fact]
    public void Verify_KeyHashChanged_False()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var line = NoteSignature.ParseLine(V.IndependentCosignatureLine);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line with { KeyHash = line.KeyHash ^ 1 }, key, out _));
    }

    [Fact]
    public void Verify_OtherWitnessKeyWithSameName_False()
    {
        using var impostor = NoteSigner.Generate(V.IndependentWitnessName);
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);

        var line = Cosignatures.Cosign(V.SpecCheckpointBody, impostor, _specTime);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line, key, out _));
        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, line with { KeyHash = key.KeyHash }, key, out _));
    }

    [Fact]
    public void Verify_PlainNoteSignatureOfSameKey_False()
    {
        using var witness = new NoteSigner(V.IndependentWitnessName, Convert.FromHexString(V.IndependentWitnessSeedHex));
        var noteLine = SignedNote.Sign(V.SpecCheckpointBody, witness).Signatures[0];

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, noteLine, witness.CosignatureVerifierKey, out _));
        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, noteLine with { KeyHash = witness.CosignatureVerifierKey.KeyHash }, witness.CosignatureVerifierKey, out _));
    }

    [Fact]
    public void Verify_TimestampAbove2Pow63_FalseWithoutThrowing()
    {
        var key = CosignatureVerifierKey.Parse(V.IndependentWitnessKey);
        var raw = new byte[72];
        BinaryPrimitives.WriteUInt64BigEndian(raw, 1UL << 63);

        Assert.False(Cosignatures.Verify(V.SpecCheckpointBody, new NoteSignature(key.Name, key.KeyHash, raw), key, out _));
    }

    [Fact]
    public void IsCosignedBy_CosignatureAddedToLogNote_TrueAfterRoundTrip()
    {
        using var log = NoteSigner.Generate("example.com/behind-the-sofa");
        using var witness = NoteSigner.Generate("witness.example/w1");
        var checkpoint = Checkpoint.Parse(V.SpecCheckpointBody);
        var logNote = SignedNote.Parse(Checkpoint.SignCheckpoint(checkpoint, log));

        var cosigned = SignedNote.Parse(logNote.WithSignatures(Cosignatures.Cosign(checkpoint, witness, _specTime)).Format());

        Assert.True(cosigned.IsSignedBy(log.VerifierKey));
        Assert.True(Cosignatures.IsCosignedBy(cosigned, witness.CosignatureVerifierKey, out var time));
        Assert.Equal(_specTime, time);
        Assert.False(cosigned.IsSignedBy(witness.VerifierKey));
        Assert.False(Cosignatures.IsCosignedBy(cosigned, log.CosignatureVerifierKey, out _));
    }
}
