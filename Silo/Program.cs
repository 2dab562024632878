using WeDrawOS.Configuration;
using WeDrawOS.Silo;

try
{
    await SiloApp.Build(args).RunAsync();
    return 0;
}
catch (InvalidSettingsException e)
{
    return e.Report();
}
