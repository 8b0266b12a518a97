"""What a project holds, as values: the field references (`fields`) and the evidence rows."""
