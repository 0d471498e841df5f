from fglint.main import entry

entry()
