import NASCommands

NASCommand.runReportingOneLineErrors()
