// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Tests.Partners;

public sealed class OinTests
{
    [Theory]
    [InlineData("00000001800000001000")]
    [InlineData("00000004003214345001")]
    public void TryParse_TwentyDigits_Accepts(string text)
    {
        Assert.True(Oin.TryParse(text, out var oin, out var problem));
        Assert.Equal(text, oin.Value);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null, "an OIN is required")]
    [InlineData("", "an OIN is required")]
    [InlineData("0000000180000000100", "an OIN has exactly 20 digits, this value has 19 characters")]
    [InlineData("000000018000000010000", "an OIN has exactly 20 digits, this value has 21 characters")]
    [InlineData("0000000180000000100A", "an OIN consists of digits only")]
    [InlineData("0000000180000000100٣", "an OIN consists of digits only")]
    [InlineData("00000000000000000000", "an OIN of only zeros identifies no organisation")]
    public void TryParse_Malformed_RejectsWithReason(string? text, string expected)
    {
        Assert.False(Oin.TryParse(text, out _, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Parse_Malformed_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => Oin.Parse("123"));
        Assert.Contains("exactly 20 digits", ex.Message, StringComparison.Ordinal);
    }
}
