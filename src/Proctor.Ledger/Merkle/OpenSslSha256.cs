using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Proctor.Ledger.Merkle;

/// <summary>
/// SHA-256 through libcrypto 3's EVP interface, called directly: the digest is fetched once and each thread reuses one
/// context. .NET's own SHA-256 reaches the same library through a shim that creates a context per call and clears the
/// thread's error queue first (sixteen slots, two frees each); for a 65-byte Merkle node that costs three to four
/// times the hash itself (docs/PERFORMANCE.md, decision 0061). The fetch uses the default library context and
/// properties, so an OpenSSL configured for FIPS gives its FIPS provider here as it does to .NET.
/// </summary>
internal sealed unsafe class OpenSslSha256
{
    private const string Library = "libcrypto.so.3";

    [ThreadStatic]
    private static Context? t_context;

    private readonly delegate* unmanaged<nint> _newContext;
    private readonly delegate* unmanaged<nint, void> _freeContext;
    private readonly delegate* unmanaged<nint, nint, nint, int> _init;
    private readonly delegate* unmanaged<nint, byte*, nuint, int> _update;
    private readonly delegate* unmanaged<nint, byte*, uint*, int> _final;
    private readonly delegate* unmanaged<void> _clearErrors;
    private readonly nint _sha256;

    private OpenSslSha256(nint library, nint sha256)
    {
        _newContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "EVP_MD_CTX_new");
        _init = (delegate* unmanaged<nint, nint, nint, int>)NativeLibrary.GetExport(library, "EVP_DigestInit_ex2");
        _update = (delegate* unmanaged<nint, byte*, nuint, int>)NativeLibrary.GetExport(library, "EVP_DigestUpdate");
        _final = (delegate* unmanaged<nint, byte*, uint*, int>)NativeLibrary.GetExport(library, "EVP_DigestFinal_ex");
        _clearErrors = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "ERR_clear_error");
        _freeContext = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "EVP_MD_CTX_free");
        _sha256 = sha256;
    }

    /// <summary>
    /// Null where libcrypto 3 is not what .NET hashes with (not Linux, or an older OpenSSL), where an export is missing,
    /// where the self-check cannot run, or where the fetched digest does not agree with .NET's on a known input: the
    /// caller then uses .NET's.
    /// </summary>
    public static OpenSslSha256? TryLoad()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out var library))
        {
            return null;
        }
        try
        {
            var fetch = (delegate* unmanaged<nint, byte*, byte*, nint>)NativeLibrary.GetExport(library, "EVP_MD_fetch");
            nint sha256;
            fixed (byte* name = "SHA256\0"u8)
            {
                sha256 = fetch(0, name, null);
            }
            var digest = sha256 == 0 ? null : new OpenSslSha256(library, sha256);
            return digest is not null && digest.AgreesWithDotNet() ? digest : null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or CryptographicException)
        {
            // A missing export, or a context OpenSSL cannot give: hashing stays with .NET rather than failing every append.
            return null;
        }
    }

    public void Hash(byte prefix, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        // OpenSSL writes the whole digest: a shorter destination would be overrun.
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SHA256.HashSizeInBytes, nameof(destination));
        var context = (t_context ??= NewContext()).DangerousGetHandle();
        fixed (byte* input = data)
        fixed (byte* output = destination)
        {
            if (_init(context, _sha256, 0) != 1
                || _update(context, &prefix, 1) != 1
                || _update(context, input, (nuint)data.Length) != 1
                || _final(context, output, null) != 1)
            {
                _clearErrors();
                throw new CryptographicException("OpenSSL's SHA-256 failed on this input; nothing was hashed.");
            }
        }
    }

    private Context NewContext()
    {
        var context = new Context(_newContext(), _freeContext);
        if (context.IsInvalid)
        {
            _clearErrors();
            throw new CryptographicException("OpenSSL could not allocate a digest context.");
        }
        return context;
    }

    private bool AgreesWithDotNet()
    {
        ReadOnlySpan<byte> input = "\u0001proctor ledger"u8;
        Span<byte> ours = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(input[0], input[1..], ours);
        return ours.SequenceEqual(SHA256.HashData(input));
    }

    /// <summary>A thread's digest context, freed when the thread is gone and its last reference collected.</summary>
    private sealed class Context : SafeHandle
    {
        private readonly delegate* unmanaged<nint, void> _free;

        public Context(nint handle, delegate* unmanaged<nint, void> free)
            : base(0, ownsHandle: true)
        {
            SetHandle(handle);
            _free = free;
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            _free(handle);
            return true;
        }
    }
}
