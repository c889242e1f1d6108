// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Client;
using ExchangeHub.Core.Pki;
using ExchangeHub.Load.V1;
using ExchangeHub.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;

namespace ExchangeHub.Load;

/// <summary>What a run calls: one unary RPC per call, over a set of channels (each its own HTTP/2 connections).</summary>
internal abstract class LoadTarget : IDisposable
{
    private readonly GrpcChannel[] _channels;

    protected LoadTarget(GrpcChannel[] channels) => _channels = channels;

    /// <summary>Sets up what the calls need (data to query), before the clock starts.</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Makes call number <paramref name="n"/>.</summary>
    public abstract Task CallAsync(long n, CancellationToken cancellationToken);

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        Dispose(true);
    }

    protected GrpcChannel Channel(long n) => _channels[n % _channels.Length];

    protected virtual void Dispose(bool disposing)
    {
    }

    public static LoadTarget Create(LoadSettings settings)
    {
        var layout = new DevPkiLayout(settings.PkiDirectory);
        X509Certificate2Collection ca = [.. PemFiles.LoadCertificates(layout.CaCertificate)];
        GrpcChannel[] Channels(string partner, HubTokenSettings tokens)
        {
            var certificate = PemFiles.LoadCertificateWithKey(layout.PartnerCertificate(partner), layout.PartnerKey(partner));
            return [.. Enumerable.Range(0, settings.Connections).Select(_ => HubChannelFactory.Create(settings.Hub, certificate, ca, tokens))];
        }

        return settings.Target switch
        {
            "echo" => new EchoTarget(Channels("Dienst Justitiële Inrichtingen", HubTokenSettings.None)),
            "submit" => new SubmitTarget(Channels("Dienst Justitiële Inrichtingen", HubTokenSettings.Default)),
            "query" => new QueryTarget(Channels("Gemeente Rotterdam", HubTokenSettings.Default), Channels("Dienst Justitiële Inrichtingen", HubTokenSettings.Default)),
            _ => throw new ArgumentException($"unknown target '{settings.Target}'; known: echo, submit, query"),
        };
    }

    /// <summary>Distinct fictitious BSNs that pass the eleven-test.</summary>
    protected static string[] Subjects(int count)
    {
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        while (subjects.Count < count)
        {
            subjects.Add(ValidRequests.NewBsn());
        }

        return [.. subjects];
    }

    /// <summary>The tests' valid notice, about <paramref name="bsn"/>, with a release a month ahead (no late-notice alarm).</summary>
    protected static SubmitEndOfDetentionNoticeRequest Notice(string bsn)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.Subject.Bsn = bsn;
        request.Notice.ExpectedReleaseTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30));
        return request;
    }

    private sealed class EchoTarget(GrpcChannel[] channels) : LoadTarget(channels)
    {
        // About the size of a notice request on the wire.
        private static readonly ByteString Payload = Notice("111222333").ToByteString();

        public override Task CallAsync(long n, CancellationToken cancellationToken) =>
            new EchoService.EchoServiceClient(Channel(n)).EchoAsync(new EchoRequest { Payload = Payload }, cancellationToken: cancellationToken).ResponseAsync;
    }

    private sealed class SubmitTarget(GrpcChannel[] channels) : LoadTarget(channels)
    {
        private readonly string[] _subjects = Subjects(1000);

        public override Task CallAsync(long n, CancellationToken cancellationToken) =>
            new NoticeService.NoticeServiceClient(Channel(n)).SubmitEndOfDetentionNoticeAsync(Notice(_subjects[n % _subjects.Length]), cancellationToken: cancellationToken).ResponseAsync;
    }

    private sealed class QueryTarget(GrpcChannel[] rotterdam, GrpcChannel[] dji) : LoadTarget(rotterdam)
    {
        private static readonly ProcessingGrounds Grounds = new() { Purpose = Purpose.PersonCentredApproach, LegalBasis = LegalBasis.WgpaRadicalisation };
        private readonly string[] _subjects = Subjects(50);

        /// <summary>Five notices per subject from the prison service, so that each case view has something in it.</summary>
        public override async Task PrepareAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < _subjects.Length * 5; i++)
            {
                await new NoticeService.NoticeServiceClient(dji[i % dji.Length]).SubmitEndOfDetentionNoticeAsync(Notice(_subjects[i % _subjects.Length]), cancellationToken: cancellationToken);
            }
        }

        public override Task CallAsync(long n, CancellationToken cancellationToken) =>
            new CaseService.CaseServiceClient(Channel(n)).QueryCaseAsync(new QueryCaseRequest { Subject = new SubjectReference { Bsn = _subjects[n % _subjects.Length] }, Grounds = Grounds }, cancellationToken: cancellationToken).ResponseAsync;

        protected override void Dispose(bool disposing)
        {
            foreach (var channel in dji)
            {
                channel.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
