// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Messages;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// A recipient's inbox: a resumable stream, pages, and acknowledgements. The stream reads from storage page by
/// page and writes one message at a time, so a slow consumer holds back only its own stream (HTTP/2 flow
/// control) and memory stays bounded; a disconnect loses nothing, since unacknowledged messages come again.
/// </summary>
internal sealed class InboxGrpcService(Inbox inbox, InboxSignals signals) : InboxService.InboxServiceBase
{
    private const int StreamPage = 100;
    private static readonly TimeSpan IdleLook = TimeSpan.FromSeconds(1);

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        var recipient = context.GetPartner();
        var after = ParseCursor(request.Cursor, recipient.Oin.Value);
        var categories = request.Categories.ToHashSet();
        var cancellationToken = context.CancellationToken;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await inbox.TakeAsync(recipient, after, StreamPage, categories, cancellationToken);
            foreach (var message in page)
            {
                await responseStream.WriteAsync(new SubscribeResponse { Message = message }, cancellationToken);
                after = Math.Max(after, ParseCursor(message.Cursor, recipient.Oin.Value));
            }

            if (page.Count < StreamPage)
            {
                await signals.WaitAsync(recipient.Oin.Value, IdleLook, cancellationToken);
            }
        }
    }

    public override async Task<PullInboxResponse> PullInbox(PullInboxRequest request, ServerCallContext context)
    {
        var recipient = context.GetPartner();
        if (request.PageSize > Inbox.MaxPageSize)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, HubErrors.InvalidRequest.Format($"page_size {request.PageSize} is above {Inbox.MaxPageSize}")));
        }

        var after = ParseCursor(request.Cursor, recipient.Oin.Value);
        var page = await inbox.TakeAsync(recipient, after, request.PageSize == 0 ? 100 : (int)request.PageSize, request.Categories.ToHashSet(), context.CancellationToken);
        var response = new PullInboxResponse();
        response.Messages.AddRange(page);
        var last = page.Select(m => ParseCursor(m.Cursor, recipient.Oin.Value)).DefaultIfEmpty(after).Max();
        response.NextCursor = last == 0 && string.IsNullOrEmpty(request.Cursor) ? string.Empty : InboxCursor.Format(recipient.Oin.Value, Math.Max(last, after));
        return response;
    }

    public override async Task<AcknowledgeMessageResponse> AcknowledgeMessage(AcknowledgeMessageRequest request, ServerCallContext context)
    {
        var recipient = context.GetPartner();
        if (request.Outcome == AcknowledgementOutcome.Rejected && string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, HubErrors.RejectionNeedsReason.Format()));
        }

        await inbox.AcknowledgeAsync(recipient, request.DeliveryId, request.Outcome, request.Reason, context.CancellationToken);
        return new AcknowledgeMessageResponse();
    }

    private static long ParseCursor(string cursor, string recipientOin) =>
        InboxCursor.TryParse(cursor, recipientOin, out var position)
            ? position
            : throw new RpcException(new Status(StatusCode.InvalidArgument, HubErrors.BadCursor.Format(cursor)));
}
