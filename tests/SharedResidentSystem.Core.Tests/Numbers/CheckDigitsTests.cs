using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Numbers;

public class CheckDigitsTests
{
    [Theory]
    [InlineData("132225")]
    [InlineData("132110")]
    [InlineData("132136")]
    [InlineData("011011")]
    public void Member_and_known_city_codes_are_valid(string code) => Assert.True(CheckDigits.IsValidLocalGovernmentCode(code));

    [Theory]
    [InlineData("132226")]
    [InlineData("13222")]
    [InlineData("1322250")]
    [InlineData("13222a")]
    [InlineData("")]
    [InlineData(null)]
    public void Wrong_city_codes_are_refused(string? code) => Assert.False(CheckDigits.IsValidLocalGovernmentCode(code));

    [Theory]
    [InlineData("123456789018")]
    [InlineData("023456789013")]
    [InlineData("983205673214")]
    public void Individual_numbers_from_the_rules_are_valid(string number) => Assert.True(CheckDigits.IsValidIndividualNumber(number));

    [Theory]
    [InlineData("123456789019")]
    [InlineData("12345678901")]
    [InlineData("12345678901X")]
    public void Individual_numbers_with_a_wrong_check_digit_are_refused(string number) => Assert.False(CheckDigits.IsValidIndividualNumber(number));

    [Spec("1.1.13#2")]
    [Spec("1.1.13#3")]
    [Spec("1.1.13#4")]
    [Fact]
    public void Serial_numbers_get_a_modulus_11_check_digit_with_weights_2_to_7_from_the_right()
    {
        // body 000000001: 1×2 = 2, 2 mod 11 = 2, 11 − 2 = 9
        Assert.Equal("0000000019", CheckDigits.WithCheckDigit(1, 9));
        // body 000000006: 6×2 = 12, 12 mod 11 = 1 → remainder ≤ 1 gives 0
        Assert.Equal("0000000060", CheckDigits.WithCheckDigit(6, 9));
        // body 123456789: 9×2+8×3+7×4+6×5+5×6+4×7+3×2+2×3+1×4 = 174, 174 mod 11 = 9, 11 − 9 = 2
        Assert.Equal("1234567892", CheckDigits.WithCheckDigit(123456789, 9));
        // body 000000011: 1×2+1×3 = 5 → 6
        Assert.Equal("0000000116", CheckDigits.WithCheckDigit(11, 9));
        // remainder 0 gives 0: body 000000014 → 4×2+1×3 = 11, 11 mod 11 = 0
        Assert.Equal("0000000140", CheckDigits.WithCheckDigit(14, 9));
    }

    [Spec("1.1.13#2")]
    [Fact]
    public void Every_issued_serial_validates_and_a_changed_digit_does_not()
    {
        for (long serial = 1; serial < 2000; serial += 7)
        {
            var number = CheckDigits.WithCheckDigit(serial, 9);
            Assert.True(CheckDigits.IsValidSerialWithCheck(number), number);
            var wrong = number[..^1] + (char)('0' + ((number[^1] - '0' + 1) % 10));
            Assert.False(CheckDigits.IsValidSerialWithCheck(wrong), wrong);
        }
    }

    [Fact]
    public void Resident_codes_carry_the_same_modulus_11_check_over_ten_digits()
    {
        var code = CheckDigits.WithCheckDigit(1234567890, 10);
        Assert.Equal(11, code.Length);
        Assert.True(CheckDigits.IsValidResidentCode(code));
        Assert.False(CheckDigits.IsValidResidentCode(code[..^1] + (code[^1] == '0' ? '1' : '0')));
    }

    [Fact]
    public void A_serial_too_wide_for_its_body_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckDigits.WithCheckDigit(1_000_000_000, 9));
}
