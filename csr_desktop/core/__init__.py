"""Qt-free core: the indicator set, the assessment, its validation and the project store."""
