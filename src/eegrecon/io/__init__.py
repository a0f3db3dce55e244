"""Files: readers for every format the package takes, and the on-disk layouts of EDF/BDF and BrainVision that the
writers rewrite in place."""
