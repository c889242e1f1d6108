// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Policy;

/// <summary>The descriptors of the contract enums a policy speaks of, and their short proto names.</summary>
public static class ContractEnums
{
    /// <summary>exchangehub.v1.LegalBasis.</summary>
    public static EnumDescriptor LegalBasis { get; } = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("LegalBasis");

    /// <summary>exchangehub.v1.Purpose.</summary>
    public static EnumDescriptor Purpose { get; } = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("Purpose");

    /// <summary>exchangehub.v1.PartnerRole.</summary>
    public static EnumDescriptor PartnerRole { get; } = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("PartnerRole");

    /// <summary>exchangehub.v1.DataCategory.</summary>
    public static EnumDescriptor DataCategory { get; } = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("DataCategory");

    /// <summary>exchangehub.v1.DisclosureDecision.</summary>
    public static EnumDescriptor DisclosureDecision { get; } = CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("DisclosureDecision");

    /// <summary>exchangehub.v1.MessageType.</summary>
    public static EnumDescriptor MessageType { get; } = AuditReflection.Descriptor.FindTypeByName<EnumDescriptor>("MessageType");

    /// <summary>exchangehub.v1.AcknowledgementOutcome.</summary>
    public static EnumDescriptor AcknowledgementOutcome { get; } = InboxReflection.Descriptor.FindTypeByName<EnumDescriptor>("AcknowledgementOutcome");

    /// <summary>exchangehub.v1.AlarmKind.</summary>
    public static EnumDescriptor AlarmKind { get; } = AuditReflection.Descriptor.FindTypeByName<EnumDescriptor>("AlarmKind");

    /// <summary>The short name of a legal basis, e.g. WPG_ART_20.</summary>
    public static string Name(LegalBasis value) => ProtoEnumNames.ShortName(LegalBasis, value);

    /// <summary>The short name of a purpose.</summary>
    public static string Name(Purpose value) => ProtoEnumNames.ShortName(Purpose, value);

    /// <summary>The short name of a role.</summary>
    public static string Name(PartnerRole value) => ProtoEnumNames.ShortName(PartnerRole, value);

    /// <summary>The short name of a data category.</summary>
    public static string Name(DataCategory value) => ProtoEnumNames.ShortName(DataCategory, value);

    /// <summary>The short name of a decision, e.g. ALLOWED.</summary>
    public static string Name(DisclosureDecision value) => ProtoEnumNames.ShortName(DisclosureDecision, value);

    /// <summary>The short name of a message type.</summary>
    public static string Name(MessageType value) => ProtoEnumNames.ShortName(MessageType, value);

    /// <summary>The short name of an acknowledgement outcome, e.g. PROCESSED.</summary>
    public static string Name(AcknowledgementOutcome value) => ProtoEnumNames.ShortName(AcknowledgementOutcome, value);

    /// <summary>The short name of an alarm kind, e.g. NOT_ACKNOWLEDGED.</summary>
    public static string Name(AlarmKind value) => ProtoEnumNames.ShortName(AlarmKind, value);
}
