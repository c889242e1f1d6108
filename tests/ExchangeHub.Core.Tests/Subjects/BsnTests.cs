// This file is part of ExchangeHub.

using ExchangeHub.Core.Subjects;

namespace ExchangeHub.Core.Tests.Subjects;

public sealed class BsnTests
{
    // 111222333: 9·1+8·1+7·1+6·2+5·2+4·2+3·3+2·3−1·3 = 66 = 6·11. 123456782: 9+16+21+24+25+24+21+16−2 = 154 = 14·11.
    [Theory]
    [InlineData("111222333", "111222333")]
    [InlineData("123456782", "123456782")]
    [InlineData("999999990", "999999990")]
    [InlineData("12345672", "012345672")]
    public void TryParse_PassesElevenTest_AcceptsAndNormalises(string text, string expected)
    {
        Assert.True(Bsn.TryParse(text, out var bsn, out var problem), problem);
        Assert.Equal(expected, bsn.Value);
    }

    [Theory]
    [InlineData("111222334")]
    [InlineData("123456789")]
    [InlineData("123456781")]
    public void TryParse_FailsElevenTest_Rejects(string text)
    {
        Assert.False(Bsn.TryParse(text, out _, out var problem));
        Assert.Equal("this number fails the eleven-test (elfproef), so it is not a BSN; check for a typing error", problem);
    }

    [Theory]
    [InlineData(null, "a BSN is required")]
    [InlineData("", "a BSN is required")]
    [InlineData("1234567", "a BSN has 9 digits (or 8 without its leading zero), this value has 7 characters")]
    [InlineData("1112223330", "a BSN has 9 digits (or 8 without its leading zero), this value has 10 characters")]
    [InlineData("11122233X", "a BSN consists of digits only")]
    public void TryParse_Malformed_RejectsWithReason(string? text, string expected)
    {
        Assert.False(Bsn.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void TryParse_WeightedSumZero_IsAMultipleOfEleven()
    {
        // 9·1 − 1·9 = 0, and 0 is a multiple of 11: the eleven-test accepts it.
        Assert.True(Bsn.TryParse("100000009", out _, out _));
    }

    [Fact]
    public void TryParse_AllZeros_Rejects()
    {
        // 000000000 satisfies the arithmetic but is no one's number.
        Assert.False(Bsn.TryParse("000000000", out _, out _));
    }

    [Fact]
    public void ToString_NeverRevealsTheNumber()
    {
        var bsn = Bsn.Parse("111222333");
        Assert.DoesNotContain("111222333", bsn.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("111222333", $"{bsn}", StringComparison.Ordinal);
    }

    [Fact]
    public void ElevenTest_AgreesWithAnIndependentCount()
    {
        // Every number in a sample range is judged the same way as a straightforward re-implementation.
        var accepted = 0;
        for (var n = 100_000_000; n < 100_010_000; n++)
        {
            var text = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 8; i++)
            {
                sum += (9 - i) * (text[i] - '0');
            }

            var expected = (sum - (text[8] - '0')) % 11 == 0;
            Assert.Equal(expected, Bsn.TryParse(text, out _, out _));
            accepted += expected ? 1 : 0;
        }

        Assert.InRange(accepted, 800, 1000); // about one in eleven
    }
}
