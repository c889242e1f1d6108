// This file is part of ExchangeHub.

using System.Text;
using ExchangeHub.Core.Ledger.Notes;
using V = ExchangeHub.Core.Tests.Ledger.Notes.NoteTestVectors;

namespace ExchangeHub.Core.Tests.Ledger.Notes;

public sealed class NoteVerifierKeyTests
{
    [Fact]
    public void Parse_GolangPeterNeumannKey_ExposesNameHashAndKey()
    {
        var key = NoteVerifierKey.Parse(V.PeterVerifierKey);

        Assert.Equal("PeterNeumann", key.Name);
        Assert.Equal(V.PeterKeyHash, key.KeyHash);
        Assert.Equal(Convert.FromBase64String("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")[1..], key.PublicKey);
        Assert.Equal(V.PeterVerifierKey, key.Format());
    }

    [Fact]
    public void Constructor_PeterNeumannPublicKey_ComputesPublishedKeyHash()
    {
        var publicKey = Convert.FromBase64String("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")[1..];

        var key = new NoteVerifierKey("PeterNeumann", publicKey);

        Assert.Equal(0xc74f20a3u, key.KeyHash);
        Assert.Equal(V.PeterVerifierKey, key.ToString());
    }

    [Theory]
    [InlineData(V.GoSumDbVerifierKey, "sum.golang.org", 0x033de0aeu)]
    [InlineData(V.TransparencyDevTestVerifierKey, "TEST", 0x7997405cu)]
    [InlineData(V.EnochVerifierKey, "EnochRoot", 0xaf0cfe78u)]
    public void Parse_PublishedKeys_KeyHashMatches(string text, string name, uint hash)
    {
        var key = NoteVerifierKey.Parse(text);

        Assert.Equal(name, key.Name);
        Assert.Equal(hash, key.KeyHash);
        Assert.Equal(text, key.Format());
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+0c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3")]
    [InlineData("PeterNeumann")]
    [InlineData("")]
    [InlineData("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqi Bfsvkmqq/LDE4izWy10TW")]
    [InlineData(V.WrongLengthVerifierKey)]
    [InlineData(V.UnknownAlgorithmVerifierKey)]
    [InlineData(V.RemoraCosignatureKey)]
    public void Parse_MalformedKey_Throws(string text)
    {
        Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(text));
        Assert.False(NoteVerifierKey.TryParse(text, out _));
    }

    [Fact]
    public void Parse_EveryManglingOfPublishedKey_Throws()
    {
        // The same exhaustive manglings as golang.org/x/mod/sumdb/note TestNewVerifier: every proper substring and
        // every single-character increment.
        var text = V.PeterVerifierKey;
        for (var i = 0; i <= text.Length; i++)
        {
            for (var j = i + 1; j <= text.Length; j++)
            {
                if (i != 0 || j != text.Length)
                {
                    Assert.False(NoteVerifierKey.TryParse(text[i..j], out _), text[i..j]);
                }
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var chars = text.ToCharArray();
            chars[i]++;
            var mangled = new string(chars);
            Assert.False(NoteVerifierKey.TryParse(mangled, out _), mangled);
        }
    }

    [Fact]
    public void Verify_PublishedSignature_True()
    {
        var key = NoteVerifierKey.Parse(V.PeterVerifierKey);
        var signature = Convert.FromBase64String(V.PeterSignatureBase64)[4..];

        Assert.True(key.Verify(Encoding.UTF8.GetBytes(V.PeterText), signature));
    }

    [Fact]
    public void Verify_MessageChanged_False()
    {
        var key = NoteVerifierKey.Parse(V.PeterVerifierKey);
        var signature = Convert.FromBase64String(V.PeterSignatureBase64)[4..];

        Assert.False(key.Verify(Encoding.UTF8.GetBytes(V.PeterText.Replace("answer", "Answer", StringComparison.Ordinal)), signature));
    }

    [Fact]
    public void Verify_SignatureWithKeyHashPrefix_False()
    {
        var key = NoteVerifierKey.Parse(V.PeterVerifierKey);

        Assert.False(key.Verify(Encoding.UTF8.GetBytes(V.PeterText), Convert.FromBase64String(V.PeterSignatureBase64)));
    }

    [Fact]
    public void Constructor_KeyNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NoteVerifierKey("PeterNeumann", new byte[31]));
    }

    [Fact]
    public void PublicKey_Mutated_KeyUnchanged()
    {
        var key = NoteVerifierKey.Parse(V.PeterVerifierKey);

        key.PublicKey[0] ^= 0xff;

        Assert.Equal(V.PeterVerifierKey, key.Format());
    }
}
