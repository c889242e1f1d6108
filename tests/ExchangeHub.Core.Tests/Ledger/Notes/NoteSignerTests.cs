// This file is part of ExchangeHub.

using System.Text;
using ExchangeHub.Core.Ledger.Notes;
using V = ExchangeHub.Core.Tests.Ledger.Notes.NoteTestVectors;

namespace ExchangeHub.Core.Tests.Ledger.Notes;

public sealed class NoteSignerTests
{
    [Fact]
    public void ParsePrivateKey_GolangPeterNeumannKey_DerivesPublishedVerifierKey()
    {
        using var signer = NoteSigner.ParsePrivateKey(V.PeterPrivateKey);

        Assert.Equal("PeterNeumann", signer.Name);
        Assert.Equal(V.PeterKeyHash, signer.KeyHash);
        Assert.Equal(V.PeterVerifierKey, signer.VerifierKey.Format());
    }

    [Fact]
    public void FormatPrivateKey_ParsedGolangKey_RoundTripsExactly()
    {
        using var signer = NoteSigner.ParsePrivateKey(V.PeterPrivateKey);

        Assert.Equal(V.PeterPrivateKey, signer.FormatPrivateKey());
    }

    [Fact]
    public void Sign_GolangPeterNeumannText_ProducesPublishedSignature()
    {
        using var signer = NoteSigner.ParsePrivateKey(V.PeterPrivateKey);

        var signature = signer.Sign(Encoding.UTF8.GetBytes(V.PeterText));

        Assert.Equal(Convert.FromBase64String(V.PeterSignatureBase64)[4..], signature);
    }

    [Fact]
    public void Generate_NewKey_PrivateKeyRoundTripsAndSignaturesVerify()
    {
        using var signer = NoteSigner.Generate("example.com/log");
        using var reparsed = NoteSigner.ParsePrivateKey(signer.FormatPrivateKey());
        var message = Encoding.UTF8.GetBytes("hello\n");

        Assert.Equal(signer.VerifierKey.Format(), reparsed.VerifierKey.Format());
        Assert.True(signer.VerifierKey.Verify(message, reparsed.Sign(message)));
        Assert.StartsWith("PRIVATE+KEY+example.com/log+", signer.FormatPrivateKey(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_TwoKeys_Differ()
    {
        using var first = NoteSigner.Generate("example.com/log");
        using var second = NoteSigner.Generate("example.com/log");

        Assert.NotEqual(first.VerifierKey.Format(), second.VerifierKey.Format());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a\u00a0b")]
    [InlineData("a\u2003b")]
    [InlineData("a\nb")]
    [InlineData("a\u0001b")]
    public void Constructor_InvalidName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new NoteSigner(name, new byte[32]));
    }

    [Fact]
    public void Constructor_NameWithLoneSurrogate_Throws()
    {
        // Built in code: xunit would turn a lone surrogate in InlineData into U+FFFD.
        var name = "a" + '\ud800' + "b";

        Assert.Throws<ArgumentException>(() => new NoteSigner(name, new byte[32]));
    }

    [Fact]
    public void Constructor_SeedNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NoteSigner("example.com/log", new byte[64]));
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+BIEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKA==")]
    [InlineData("PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f2+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY++c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("private+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData(V.PeterVerifierKey)]
    [InlineData("")]
    public void ParsePrivateKey_MalformedKey_Throws(string text)
    {
        Assert.Throws<FormatException>(() => NoteSigner.ParsePrivateKey(text));
    }

    [Fact]
    public void ParsePrivateKey_EveryManglingOfPublishedKey_Throws()
    {
        // As golang.org/x/mod/sumdb/note TestNewSigner: every proper substring and every single-character increment.
        var text = V.PeterPrivateKey;
        for (var i = 0; i <= text.Length; i++)
        {
            for (var j = i + 1; j <= text.Length; j++)
            {
                if (i != 0 || j != text.Length)
                {
                    Assert.Throws<FormatException>(() => NoteSigner.ParsePrivateKey(text[i..j]));
                }
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var chars = text.ToCharArray();
            chars[i]++;
            Assert.Throws<FormatException>(() => NoteSigner.ParsePrivateKey(new string(chars)));
        }
    }

    [Fact]
    public void Sign_AfterDispose_Throws()
    {
        var signer = NoteSigner.Generate("example.com/log");
        signer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.Sign([1, 2, 3]));
        Assert.Throws<ObjectDisposedException>(() => signer.FormatPrivateKey());
        Assert.Equal("example.com/log", signer.VerifierKey.Name);
    }

    [Fact]
    public void CosignatureVerifierKey_SameKey_UsesType4KeyHash()
    {
        using var signer = NoteSigner.ParsePrivateKey(V.PeterPrivateKey);

        var cosignatureKey = signer.CosignatureVerifierKey;

        Assert.Equal(signer.Name, cosignatureKey.Name);
        Assert.Equal(signer.VerifierKey.PublicKey, cosignatureKey.PublicKey);
        Assert.NotEqual(signer.KeyHash, cosignatureKey.KeyHash);
        Assert.StartsWith("PeterNeumann+", cosignatureKey.Format(), StringComparison.Ordinal);
        Assert.Equal(cosignatureKey.Format(), CosignatureVerifierKey.Parse(cosignatureKey.Format()).Format());
    }
}
