// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger.Notes;
using V = ExchangeHub.Core.Tests.Ledger.Notes.NoteTestVectors;

namespace ExchangeHub.Core.Tests.Ledger.Notes;

public sealed class SignedNoteTests
{
    private static readonly NoteVerifierKey _peter = NoteVerifierKey.Parse(V.PeterVerifierKey);
    private static readonly NoteVerifierKey _enoch = NoteVerifierKey.Parse(V.EnochVerifierKey);

    [Fact]
    public void Parse_GolangPeterNeumannNote_VerifiesWithPublishedKey()
    {
        var note = SignedNote.Parse(V.PeterNote);

        Assert.Equal(V.PeterText, note.Text);
        var signature = Assert.Single(note.Signatures);
        Assert.Equal("PeterNeumann", signature.Name);
        Assert.Equal(V.PeterKeyHash, signature.KeyHash);
        Assert.Equal(64, signature.Signature.Length);
        Assert.True(note.IsSignedBy(_peter));
    }

    [Fact]
    public void Sign_GolangPeterNeumannText_ProducesPublishedNote()
    {
        using var signer = NoteSigner.ParsePrivateKey(V.PeterPrivateKey);

        var note = SignedNote.Sign(V.PeterText, signer);

        Assert.Equal(V.PeterNote, note.Format());
    }

    [Fact]
    public void Parse_TwoPublishedSignatures_EachKeyFindsItsOwn()
    {
        var note = SignedNote.Parse(V.PeterText + "\n" + V.PeterSignatureLine + V.EnochSignatureLine);

        Assert.Equal(2, note.Signatures.Count);
        Assert.True(note.IsSignedBy(_peter));
        Assert.True(note.IsSignedBy(_enoch));
    }

    [Fact]
    public void IsSignedBy_UnknownSignatureAlongside_IgnoresIt()
    {
        using var stranger = NoteSigner.Generate("stranger.example/key");
        var note = SignedNote.Parse(V.PeterNote).WithSignatures(SignedNote.Sign("something else\n", stranger).Signatures[0]);

        Assert.True(SignedNote.Parse(note.Format()).IsSignedBy(_peter));
    }

    [Fact]
    public void IsSignedBy_KeyWithNoSignatureLine_False()
    {
        var note = SignedNote.Parse(V.PeterNote);

        Assert.False(note.IsSignedBy(_enoch));
    }

    [Fact]
    public void Format_ParsedNote_RoundTripsExactly()
    {
        var text = V.PeterText + "\n" + V.PeterSignatureLine + V.EnochSignatureLine;

        Assert.Equal(text, SignedNote.Parse(text).Format());
    }

    [Fact]
    public void IsSignedBy_BodyByteChanged_False()
    {
        var tampered = V.PeterNote.Replace("cryptography", "cryptographY", StringComparison.Ordinal);

        Assert.False(SignedNote.Parse(tampered).IsSignedBy(_peter));
    }

    [Fact]
    public void IsSignedBy_SignatureByteChanged_False()
    {
        var raw = Convert.FromBase64String(V.PeterSignatureBase64);
        raw[^1] ^= 0x01;
        var tampered = V.PeterText + "\n\u2014 PeterNeumann " + Convert.ToBase64String(raw) + "\n";

        Assert.False(SignedNote.Parse(tampered).IsSignedBy(_peter));
    }

    [Fact]
    public void IsSignedBy_KeyNameChanged_False()
    {
        var tampered = V.PeterNote.Replace("\u2014 PeterNeumann", "\u2014 PeterNeumanN", StringComparison.Ordinal);

        Assert.False(SignedNote.Parse(tampered).IsSignedBy(_peter));
    }

    [Fact]
    public void IsSignedBy_KeyHashChanged_False()
    {
        var raw = Convert.FromBase64String(V.PeterSignatureBase64);
        raw[0] ^= 0x01;
        var tampered = V.PeterText + "\n\u2014 PeterNeumann " + Convert.ToBase64String(raw) + "\n";

        Assert.False(SignedNote.Parse(tampered).IsSignedBy(_peter));
    }

    [Fact]
    public void IsSignedBy_OtherKeyWithSameName_False()
    {
        using var impostor = NoteSigner.Generate("PeterNeumann");

        var note = SignedNote.Sign(V.PeterText, impostor);

        Assert.False(note.IsSignedBy(_peter));
        Assert.True(note.IsSignedBy(impostor.VerifierKey));
    }

    [Fact]
    public void IsSignedBy_ForgedLineWithSameNameAndHashBesideValidOne_False()
    {
        // Spec: if a signature from a known key fails to verify, clients SHOULD reject the whole note.
        var raw = Convert.FromBase64String(V.PeterSignatureBase64);
        raw[10] ^= 0x01;
        var note = V.PeterNote + "\u2014 PeterNeumann " + Convert.ToBase64String(raw) + "\n";

        Assert.False(SignedNote.Parse(note).IsSignedBy(_peter));
    }

    [Fact]
    public void Sign_TextWithBlankLines_RoundTripsAndVerifies()
    {
        using var signer = NoteSigner.Generate("example.com/log");
        const string text = "first\n\nthird\n\n";

        var parsed = SignedNote.Parse(SignedNote.Sign(text, signer).Format());

        Assert.Equal(text, parsed.Text);
        Assert.True(parsed.IsSignedBy(signer.VerifierKey));
    }

    [Fact]
    public void Sign_TwoSigners_BothVerify()
    {
        using var first = NoteSigner.Generate("a.example/1");
        using var second = NoteSigner.Generate("b.example/2");

        var note = SignedNote.Parse(SignedNote.Sign("text\n", first, second).Format());

        Assert.True(note.IsSignedBy(first.VerifierKey));
        Assert.True(note.IsSignedBy(second.VerifierKey));
    }

    [Fact]
    public void Sign_TextWithoutFinalNewline_Throws()
    {
        using var signer = NoteSigner.Generate("example.com/log");

        Assert.Throws<ArgumentException>(() => SignedNote.Sign("no newline", signer));
    }

    [Fact]
    public void Sign_TextWithControlCharacter_Throws()
    {
        using var signer = NoteSigner.Generate("example.com/log");

        Assert.Throws<ArgumentException>(() => SignedNote.Sign("a\rb\n", signer));
    }

    [Fact]
    public void Sign_NoSigner_Throws()
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("text\n"));
    }

    [Fact]
    public void Parse_MissingBlankLine_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + V.PeterSignatureLine));
    }

    [Fact]
    public void Parse_NoSignatureLine_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + "\n"));
    }

    [Fact]
    public void Parse_MissingFinalNewline_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote[..^1]));
    }

    [Fact]
    public void Parse_HyphenInsteadOfEmDash_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace('\u2014', '-')));
    }

    [Fact]
    public void Parse_EnDashInsteadOfEmDash_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace('\u2014', '\u2013')));
    }

    [Fact]
    public void Parse_EmDashWithoutSpace_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("\u2014 ", "\u2014", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_BadBase64_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + "\n\u2014 PeterNeumann not*base64!\n"));
    }

    [Fact]
    public void Parse_Base64WithoutPadding_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("AM=\n", "AM\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_Base64WithNonZeroTrailingBits_Throws()
    {
        // "AM=" and "AN=" decode to the same bytes; only the canonical form is accepted.
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("AM=\n", "AN=\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_SignatureOfFourBytes_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + "\n\u2014 PeterNeumann x08gow==\n"));
    }

    [Fact]
    public void Parse_SignatureShorterThanFourBytes_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + "\n\u2014 PeterNeumann x08=\n"));
    }

    [Fact]
    public void Parse_EmptySignature_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterText + "\n\u2014 PeterNeumann \n"));
    }

    [Fact]
    public void Parse_KeyNameWithPlus_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("PeterNeumann", "Peter+Neumann", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_EmptyKeyName_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("\u2014 PeterNeumann ", "\u2014  ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_KeyNameWithSpace_Throws()
    {
        // golang.org/x/mod/sumdb/note TestOpen: "— Bad Name x08go/...".
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("PeterNeumann", "Bad Name", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_LineAfterSignatures_Throws()
    {
        // golang.org/x/mod/sumdb/note TestOpen: a signature block followed by "Unexpected line.".
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote + "Unexpected line.\n"));
    }

    [Fact]
    public void Parse_ControlCharacterInText_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse("\u0001" + V.PeterNote));
    }

    [Fact]
    public void Parse_CarriageReturnLineEndings_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(V.PeterNote.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_LoneSurrogate_Throws()
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse("\ud800" + V.PeterNote));
    }

    [Fact]
    public void Parse_MoreThan100Signatures_Throws()
    {
        var note = V.PeterText + "\n" + string.Concat(Enumerable.Repeat(V.PeterSignatureLine, 101));

        Assert.Throws<FormatException>(() => SignedNote.Parse(note));
    }

    [Fact]
    public void Parse_SixteenSignatures_Accepted()
    {
        // Spec: verifiers MUST accept at least 16 signatures.
        var note = V.PeterText + "\n" + string.Concat(Enumerable.Repeat(V.PeterSignatureLine, 16));

        Assert.True(SignedNote.Parse(note).IsSignedBy(_peter));
    }

    [Fact]
    public void WithSignatures_SameKey_ReplacesExistingLine()
    {
        var stale = new NoteSignature("PeterNeumann", V.PeterKeyHash, new byte[64]);
        var note = new SignedNote(V.PeterText, [stale]);

        var fixedNote = note.WithSignatures(SignedNote.Parse(V.PeterNote).Signatures[0]);

        Assert.False(note.IsSignedBy(_peter));
        Assert.Single(fixedNote.Signatures);
        Assert.Equal(V.PeterNote, fixedNote.Format());
    }

    [Fact]
    public void ParseLine_PublishedLine_RoundTrips()
    {
        var line = NoteSignature.ParseLine(V.EnochSignatureLine);

        Assert.Equal("EnochRoot", line.Name);
        Assert.Equal(0xaf0cfe78u, line.KeyHash);
        Assert.Equal(V.EnochSignatureLine, line.FormatLine());
        Assert.Equal(line, NoteSignature.ParseLine(line.FormatLine()));
    }

    [Fact]
    public void ParseLine_TwoLines_Throws()
    {
        Assert.Throws<FormatException>(() => NoteSignature.ParseLine(V.PeterSignatureLine + V.EnochSignatureLine));
    }

    [Fact]
    public void NoteSignature_InvalidName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NoteSignature("bad name", 1, [1]));
    }

    [Fact]
    public void NoteSignature_EmptySignature_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NoteSignature("name", 1, []));
    }
}
