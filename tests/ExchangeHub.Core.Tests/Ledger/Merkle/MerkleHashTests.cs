// This file is part of ExchangeHub.

using System.Security.Cryptography;
using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

public sealed class MerkleHashTests
{
    [Fact]
    public void EmptyRoot_Read_IsSha256OfTheEmptyString()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot));
        Assert.Equal(SHA256.HashData(ReadOnlySpan<byte>.Empty), MerkleHash.EmptyRoot);
    }

    [Fact]
    public void EmptyRoot_CallerAltersTheArray_ConstantUnchanged()
    {
        var root = MerkleHash.EmptyRoot;
        root[0] ^= 0xff;

        Assert.Equal(SHA256.HashData(ReadOnlySpan<byte>.Empty), MerkleHash.EmptyRoot);
    }

    [Fact]
    public void HashLeaf_EmptyEntry_IsSha256OfZeroByte()
    {
        Assert.Equal(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            Convert.ToHexStringLower(MerkleHash.HashLeaf([])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(100_000)]
    public void HashLeaf_EntryOfLength_IsSha256OfZeroPrefixAndEntry(int length)
    {
        var entry = new byte[length];
        new Random(length).NextBytes(entry);
        var expected = SHA256.HashData([0x00, .. entry]);
        var destination = new byte[MerkleHash.Size + 3];

        MerkleHash.HashLeaf(entry, destination);

        Assert.Equal(expected, MerkleHash.HashLeaf(entry));
        Assert.Equal(expected, destination[..MerkleHash.Size]);
        Assert.Equal(new byte[3], destination[MerkleHash.Size..]);
    }

    [Fact]
    public void HashChildren_TwoLeafHashes_IsSha256OfOnePrefixAndBoth()
    {
        var left = MerkleHash.HashLeaf([]);
        var right = MerkleHash.HashLeaf([0x00]);

        var hash = MerkleHash.HashChildren(left, right);

        Assert.Equal(SHA256.HashData([0x01, .. left, .. right]), hash);
        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void HashChildren_DestinationIsEitherChild_SameHash()
    {
        var left = MerkleHash.HashLeaf([1]);
        var right = MerkleHash.HashLeaf([2]);
        var expected = MerkleHash.HashChildren(left, right);
        var intoLeft = (byte[])left.Clone();
        var intoRight = (byte[])right.Clone();

        MerkleHash.HashChildren(intoLeft, right, intoLeft);
        MerkleHash.HashChildren(left, intoRight, intoRight);

        Assert.Equal(expected, intoLeft);
        Assert.Equal(expected, intoRight);
    }

    [Fact]
    public void HashChildren_SpanDestination_AllocatesNothing()
    {
        var left = MerkleHash.HashLeaf([1]);
        var right = MerkleHash.HashLeaf([2]);
        var destination = new byte[MerkleHash.Size];
        MerkleHash.HashChildren(left, right, destination);
        MerkleHash.HashLeaf(left, destination);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MerkleHash.HashChildren(left, destination, destination);
            MerkleHash.HashLeaf(right, destination);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(31, 32)]
    [InlineData(32, 33)]
    [InlineData(0, 32)]
    public void HashChildren_ChildNot32Bytes_Throws(int leftLength, int rightLength)
    {
        Assert.Throws<ArgumentException>(() => MerkleHash.HashChildren(new byte[leftLength], new byte[rightLength]));
        Assert.Throws<ArgumentException>(() => MerkleHash.HashChildren(new byte[rightLength], new byte[leftLength]));
    }

    [Fact]
    public void HashLeafAndHashChildren_DestinationShorterThan32Bytes_Throw()
    {
        Assert.Throws<ArgumentException>(() => MerkleHash.HashLeaf([1], new byte[31]));
        Assert.Throws<ArgumentException>(() => MerkleHash.HashChildren(new byte[32], new byte[32], new byte[31]));
    }
}
