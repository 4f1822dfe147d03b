using Cst.Actors.Domain.Validation;

namespace Cst.Actors.Domain.Tests.Validation;

public sealed class PecAddressTests
{
    [Theory]
    [InlineData("protocollo@pec.comune.padova.it", "protocollo@pec.comune.padova.it")]
    [InlineData("Protocollo@PEC.Comune.Padova.IT", "protocollo@pec.comune.padova.it")]
    [InlineData("  comune.agna@legalmail.it ", "comune.agna@legalmail.it")]
    [InlineData("ufficio_tecnico-2@cert.provincia.padova.it", "ufficio_tecnico-2@cert.provincia.padova.it")]
    [InlineData("o'neil+sue@pec.it", "o'neil+sue@pec.it")]
    [InlineData("a@b.it", "a@b.it")]
    public void Parse_ValidAddress_ReturnsLowerCaseCanonicalForm(string text, string canonical)
    {
        var address = PecAddress.Parse(text);

        Assert.Equal(canonical, address.Value);
        Assert.Equal(canonical, address.ToString());
    }

    [Fact]
    public void Parse_ValidAddress_SplitsLocalPartAndDomain()
    {
        var address = PecAddress.Parse("Protocollo@Pec.Comune.Padova.it");

        Assert.Equal("protocollo", address.LocalPart);
        Assert.Equal("pec.comune.padova.it", address.Domain);
    }

    [Fact]
    public void Equality_DifferentCase_IsSameMailbox()
    {
        Assert.Equal(PecAddress.Parse("PROTOCOLLO@pec.it"), PecAddress.Parse("protocollo@PEC.IT"));
    }

    [Theory]
    [InlineData("", "PEC address is empty")]
    [InlineData(null, "PEC address is empty")]
    [InlineData("protocollo pec@comune.it", "PEC address \"protocollo pec@comune.it\" contains a space; an address has none")]
    [InlineData("protocollo.comune.padova.it", "PEC address \"protocollo.comune.padova.it\" has no @ between the mailbox name and the domain")]
    [InlineData("a@b@pec.it", "PEC address \"a@b@pec.it\" contains more than one @")]
    [InlineData("mario..rossi@pec.it", "PEC address \"mario..rossi@pec.it\" contains two consecutive dots")]
    [InlineData("protocollo@pec..it", "PEC address \"protocollo@pec..it\" contains two consecutive dots")]
    [InlineData(".protocollo@pec.it", "PEC address \".protocollo@pec.it\" has a mailbox name that starts or ends with a dot")]
    [InlineData("protocollo.@pec.it", "PEC address \"protocollo.@pec.it\" has a mailbox name that starts or ends with a dot")]
    [InlineData("@pec.it", "PEC address \"@pec.it\" has no mailbox name before the @")]
    [InlineData("protocollo@", "PEC address \"protocollo@\" has no domain after the @")]
    [InlineData("protocollo@localhost", "PEC address \"protocollo@localhost\" has the domain localhost without a dot; a PEC domain looks like pec.comune.padova.it")]
    [InlineData("protocollo@.pec.it", "PEC address \"protocollo@.pec.it\" has the domain .pec.it, which starts or ends with a dot")]
    [InlineData("protocollo@pec.it.", "PEC address \"protocollo@pec.it.\" has the domain pec.it., which starts or ends with a dot")]
    [InlineData("comune.agliè@pec.it", "PEC address \"comune.agliè@pec.it\" contains 'è'; only unaccented letters, digits and a few symbols are allowed")]
    [InlineData("pro(tocollo)@pec.it", "PEC address \"pro(tocollo)@pec.it\" contains '(' before the @, which a mailbox name cannot contain")]
    [InlineData("protocollo@pec_comune.it", "PEC address \"protocollo@pec_comune.it\" contains '_' in the domain, which has only letters, digits, hyphens and dots")]
    [InlineData("protocollo@-pec.it", "PEC address \"protocollo@-pec.it\" has the domain part -pec, which starts or ends with a hyphen")]
    [InlineData("protocollo@192.168.0.1", "PEC address \"protocollo@192.168.0.1\" ends in .1, which is not a top-level domain")]
    [InlineData("protocollo@pec.i", "PEC address \"protocollo@pec.i\" ends in .i, which is not a top-level domain")]
    public void Validate_InvalidSyntax_ExplainsWhy(string? text, string message)
    {
        var result = PecAddress.Validate(text);

        Assert.False(result.Success);
        var error = Assert.IsType<InvalidPecAddressException>(result.Error);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_LocalPartOf64_IsAccepted()
    {
        Assert.True(PecAddress.Validate(new string('a', 64) + "@pec.it").Success);
    }

    [Fact]
    public void Validate_LocalPartOf65_IsRefused()
    {
        var text = new string('a', 65) + "@pec.it";

        Assert.Equal(
            $"PEC address \"{text}\" has a mailbox name of 65 characters; at most 64 are allowed before the @",
            PecAddress.Validate(text).ErrorMessage);
    }

    [Fact]
    public void Validate_DomainLabelOf64_IsRefused()
    {
        var label = new string('b', 64);
        var text = $"a@{label}.it";

        Assert.Equal(
            $"PEC address \"{text}\" has the domain part {label} of 64 characters; at most 63 are allowed between dots",
            PecAddress.Validate(text).ErrorMessage);
    }

    [Theory]
    [InlineData(254, true)]
    [InlineData(255, false)]
    public void Validate_TotalLength_IsAtMost254(int length, bool valid)
    {
        // "a@", then letters with every 61st turned into a dot (labels of 60, under the 63 limit), then ".it".
        var letters = new string('c', length - 2 - 3).ToCharArray();
        for (var i = 60; i < letters.Length; i += 61)
        {
            letters[i] = '.';
        }

        var text = "a@" + new string(letters) + ".it";
        Assert.Equal(length, text.Length);

        var result = PecAddress.Validate(text);

        Assert.Equal(valid, result.Success);
        if (!valid)
        {
            Assert.Equal($"PEC address \"{text}\" is 255 characters long; at most 254 are allowed", result.ErrorMessage);
        }
    }

    [Fact]
    public void Parse_Invalid_ThrowsInvalidPecAddressException()
    {
        Assert.Throws<InvalidPecAddressException>(() => PecAddress.Parse("protocollo@localhost"));
    }

    [Fact]
    public void TryParse_ValidAndInvalid_ReturnsWhetherParsed()
    {
        Assert.True(PecAddress.TryParse("Protocollo@Pec.It", out var valid));
        Assert.Equal("protocollo@pec.it", valid.Value);
        Assert.False(PecAddress.TryParse("protocollo@pec", out _));
    }
}
