using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Tastebuds.Core;

/// <summary>
/// Asks the CPU to bring a range of an array into its caches ahead of use (x86 PREFETCHT0; nothing elsewhere). A hint
/// only: it reads nothing, never faults and changes no result, so a stale address (the GC moved the array) is harmless.
/// Where a loop reads rows scattered over an array larger than the caches (the rescoring's candidate rows, the embedding's
/// products, the item graph's co-occurrence rows, iALS's first pass over a row's item factors, the graph's rows in the
/// scoring), each row's first lines are cache misses: asked for a few rows ahead, they overlap with the work on the rows
/// before them.
/// </summary>
internal static class Prefetch
{
    private const int LineBytes = 64;

    public static unsafe void Range<T>(T[] array, int from, int to)
        where T : unmanaged
    {
        if (!Sse.IsSupported || from >= to)
        {
            return;
        }

        var start = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), from));
        var end = start + ((to - from) * sizeof(T));
        for (var at = start; at < end; at += LineBytes)
        {
            Sse.Prefetch0(at);
        }
    }

    /// <summary>Row <paramref name="row"/> of a row-major array of rows <paramref name="width"/> wide.</summary>
    public static void Row<T>(T[] array, int row, int width)
        where T : unmanaged => Range(array, row * width, (row + 1) * width);

    /// <summary>The line holding <c>array[index]</c> (nothing when the index is outside the array).</summary>
    public static unsafe void At<T>(T[] array, int index)
        where T : unmanaged
    {
        if (Sse.IsSupported && (uint)index < (uint)array.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), index)));
        }
    }
}
