"""The PDF documents: the 诚信承诺书 to sign and the complete 自评材料, laid out with ReportLab."""
