using WeDrawOS.Configuration;
using WeDrawOS.WebFront;

try
{
    await WebFrontApp.Build(args).RunAsync();
    return 0;
}
catch (InvalidSettingsException e)
{
    return e.Report();
}
