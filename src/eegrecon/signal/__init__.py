"""Signal helpers shared by the cleaning road and the training side: filters, rate conversion, the mains notch and
its detection, channel positions, input checks."""
