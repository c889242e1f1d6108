// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Tests.Ledger.Notes;

/// <summary>Published test vectors, each with its source, and the one vector computed independently for this suite.</summary>
internal static class NoteTestVectors
{
    // golang.org/x/mod/sumdb/note, note.go package documentation and note_test.go (TestNewVerifier, TestNewSigner,
    // TestSign, TestOpen): the PeterNeumann key pair and its signed note.
    public const string PeterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    public const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    public const uint PeterKeyHash = 0xc74f20a3;
    public const string PeterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    public const string PeterSignatureBase64 = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
    public const string PeterSignatureLine = "\u2014 PeterNeumann " + PeterSignatureBase64 + "\n";
    public const string PeterNote = PeterText + "\n" + PeterSignatureLine;

    // golang.org/x/mod/sumdb/note note_test.go (TestVerifierList, TestOpen): the EnochRoot key and its signature of
    // the same text.
    public const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    public const string EnochSignatureLine = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    // golang.org/x/mod/sumdb/note note_test.go (TestNewVerifier): a key of the wrong length and a key of an unknown
    // algorithm, each with a key hash adjusted to match, which must still be refused.
    public const string WrongLengthVerifierKey = "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
    public const string UnknownAlgorithmVerifierKey = "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    // The Go checksum database's published verifier key, as tested in sigsum-go pkg/checkpoint/verifier_test.go
    // (TestGoSumDBVerifier): its base64 contains '+', so only the first two '+' separate the fields.
    public const string GoSumDbVerifierKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    // transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier): a type 0x01 key and a real
    // witness's type 0x04 (cosignature/v1) key.
    public const string TransparencyDevTestVerifierKey = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";
    public const string RemoraCosignatureKey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

    // sigsum-go pkg/checkpoint/verifier_test.go (TestNewNoteVerifier): a type 0x04 key whose key ID the authors
    // checked with sha256sum.
    public const string SigsumCosignatureKey = "example.org/key+57bfe580+BAFFLINGNESS+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    // transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1Timestamp): a cosignature whose timestamp is
    // 1727964367.
    public const string TransparencyDevCosignatureBase64 = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==";

    // c2sp.org/tlog-checkpoint and c2sp.org/tlog-cosignature: the example checkpoint body, the example cosignature
    // line (no key is published for it) and the timestamp of the example signed message.
    public const string SpecCheckpointBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    public const string SpecCosignatureBase64 = "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";
    public const long SpecCosignatureTime = 1679315147;

    // No published cosignature/v1 vector with its key was found. This one was computed for this suite with a second,
    // independent Ed25519 implementation (Python 'cryptography' 48.0.0): witness seed = RFC 8032 section 7.1 TEST 1
    // secret key, name "witness.example.com/w1", the spec's checkpoint body and time 1679315147.
    public const string IndependentWitnessSeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    public const string IndependentWitnessName = "witness.example.com/w1";
    public const string IndependentWitnessKey = "witness.example.com/w1+7e6f4aaa+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
    public const string IndependentCosignatureLine =
        "\u2014 witness.example.com/w1 fm9KqgAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/kmm5tlCr9sJ57DLErur7K0yDXc2ArN+TIuotuB/HbuL3AJsp3bv/aNCQ==\n";
}
