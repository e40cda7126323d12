using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>
/// A rule across keys, checked after binding: every single value has been read and checked already
/// (<see cref="ScalarFormats"/>), so a rule only relates values to each other. Keys refused while binding
/// are skipped (<see cref="BindingContext.IsRefused"/>): they are reported already.
/// </summary>
internal interface IConfigurationRule
{
    void Check(ProctorOptions options, BindingContext context);
}
