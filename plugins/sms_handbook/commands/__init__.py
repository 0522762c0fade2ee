"""One module per `sms-handbook` command; each adds its parser and runs it."""
