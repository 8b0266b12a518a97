"""The Excel 自评表: written for printing and for departments, read back and merged three-way."""
