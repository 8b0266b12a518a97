"""The submission package: laid out, written with its manifest, and verified on receipt."""
