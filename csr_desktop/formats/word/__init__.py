"""The complete 自评材料 as a Word document an office can keep editing (python-docx)."""
