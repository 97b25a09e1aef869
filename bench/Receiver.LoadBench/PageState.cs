namespace Receiver.LoadBench;

/// <summary>
/// Ingest: what free memory each receiver's video dump is written into (<c>--page-state</c>). On a virtual machine
/// whose balloon hands free guest pages back to the host (free page reporting), the first write into a page the host
/// took back costs a host fault, so the same dump costs the kernel three to four times as much in "cold" free memory
/// as in memory that was just freed.
/// </summary>
public enum PageState
{
    /// <summary>
    /// Before each run (warm-up included), the driver writes a scratch file of about twice the clip's size in the work
    /// folder and deletes it right after the kernel's next free page reporting pass, so that whichever receiver runs
    /// next writes its dump into just-freed, host-backed pages.
    /// </summary>
    Hot,

    /// <summary>
    /// Memory as the previous run left it: our dump is deleted after each of our runs, so the receiver after it
    /// (UxPlay) writes into the pages that freed, and ours into whatever the host left.
    /// </summary>
    AsIs,
}
