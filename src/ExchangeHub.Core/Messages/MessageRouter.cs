// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// Who a message goes to, before the policy weighs each one. An end-of-detention notice always goes to the mayor
/// of the municipality of residence, the mayor of the place of release where different, and the prosecution's
/// detention information point (IDV): those are mandatory, so a denial or a missing partner raises an alarm
/// instead of passing silently, as happened to 21 mayors and 128 IDV notices in 2016.
/// </summary>
public sealed class MessageRouter(IPartnerRegistry registry)
{
    /// <summary>The recipients of an end-of-detention notice, and the mandatory ones no partner was found for.</summary>
    public (IReadOnlyList<MessageRecipient> Recipients, IReadOnlyList<string> Unresolved) ForNotice(EndOfDetentionNotice notice, IEnumerable<string> alsoTo)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var recipients = new Recipients(registry);
        var unresolved = new List<string>();
        AddMayor(recipients, unresolved, notice.MunicipalityOfResidence?.Code, "mayor of the municipality of residence");
        if (notice.PlaceOfRelease is { Code.Length: > 0 } release && release.Code != notice.MunicipalityOfResidence?.Code)
        {
            AddMayor(recipients, unresolved, release.Code, "mayor of the place of release");
        }

        var points = Enabled().Where(p => p.HasRole(PartnerRole.DetentionInformationPoint)).ToList();
        if (points.Count == 0)
        {
            unresolved.Add("the prosecution's detention information point (IDV)");
        }

        foreach (var point in points)
        {
            recipients.Add(point.Oin, mandatory: true, "the prosecution's detention information point (IDV)");
        }

        foreach (var oin in notice.MandatoryRecipients.Select(r => r.Oin).Concat(alsoTo))
        {
            recipients.Add(Oin.Parse(oin), mandatory: true, "named as mandatory recipient by the sender");
        }

        return (recipients.List, unresolved);
    }

    /// <summary>The recipients of a signal: the case consultation's municipality and whoever the sender names.</summary>
    public IReadOnlyList<MessageRecipient> ForSignal(Signal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var recipients = new Recipients(registry);
        foreach (var mayor in Enabled().Where(p => p.HasRole(PartnerRole.Municipality) && p.MunicipalityCode == signal.Municipality?.Code))
        {
            recipients.Add(mayor.Oin, mandatory: false, "the municipality that directs the case consultation");
        }

        foreach (var named in signal.Recipients)
        {
            recipients.Add(Oin.Parse(named.Oin), mandatory: false, "named by the sender");
        }

        return recipients.List;
    }

    /// <summary>The recipients of re-integration data: the municipality and whoever the sender names.</summary>
    public IReadOnlyList<MessageRecipient> ForReintegration(ReintegrationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var recipients = new Recipients(registry);
        foreach (var mayor in Enabled().Where(p => p.HasRole(PartnerRole.Municipality) && p.MunicipalityCode == data.Municipality?.Code))
        {
            recipients.Add(mayor.Oin, mandatory: false, "the municipality that receives the subject");
        }

        foreach (var named in data.Recipients)
        {
            recipients.Add(Oin.Parse(named.Oin), mandatory: false, "named by the sender");
        }

        return recipients.List;
    }

    /// <summary>One named recipient (an official report's addressee, a follow-up's reporting service, the recipients of an original).</summary>
    public IReadOnlyList<MessageRecipient> To(IEnumerable<string> oins, bool mandatory, string why)
    {
        ArgumentNullException.ThrowIfNull(oins);
        var recipients = new Recipients(registry);
        foreach (var oin in oins)
        {
            recipients.Add(Oin.Parse(oin), mandatory, why);
        }

        return recipients.List;
    }

    private void AddMayor(Recipients recipients, List<string> unresolved, string? code, string why)
    {
        var mayors = Enabled().Where(p => p.HasRole(PartnerRole.Municipality) && p.MunicipalityCode == code).ToList();
        if (mayors.Count == 0)
        {
            unresolved.Add($"the {why} ({code})");
        }

        foreach (var mayor in mayors)
        {
            recipients.Add(mayor.Oin, mandatory: true, $"{why} ({code})");
        }
    }

    private IEnumerable<Partner> Enabled() => registry.All.Where(p => registry.Find(p.Oin, out _) == PartnerLookup.Found);

    /// <summary>Recipients without duplicates; a recipient mandatory for any reason is mandatory.</summary>
    private sealed class Recipients(IPartnerRegistry registry)
    {
        public List<MessageRecipient> List { get; } = [];

        public void Add(Oin oin, bool mandatory, string why)
        {
            var index = List.FindIndex(r => r.Oin == oin);
            if (index >= 0)
            {
                List[index] = List[index] with { Mandatory = List[index].Mandatory || mandatory };
                return;
            }

            List.Add(new MessageRecipient(oin, registry.Find(oin, out var partner) == PartnerLookup.Found ? partner : null, mandatory, why));
        }
    }
}
