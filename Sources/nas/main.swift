import NASCommands

HostDeviceSetup.install()
NASCommand.main()
