import NASCommands

HostDeviceSetup.install()
NASCommand.runReportingOneLineErrors()
