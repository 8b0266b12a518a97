"""Wizard pages: the cover, one indicator page class used for every 三级指标, the 承诺书 and
the review page. Each is a lazy shell until first shown, which keeps start-up fast."""
