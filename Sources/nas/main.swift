import NASCommands

NASCommand.main()
