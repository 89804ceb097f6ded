// Helpers shared by the test targets: script runners, fixtures, fake transports.
