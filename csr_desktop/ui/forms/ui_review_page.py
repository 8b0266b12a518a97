"""Generated from resources/ui/review_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject, QSize
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QListWidget, QPushButton, QVBoxLayout

class Ui_ReviewPage(object):
    def setupUi(self, ReviewPage):
        if not ReviewPage.objectName():
            ReviewPage.setObjectName(u"ReviewPage")
        self.pageLayout = QVBoxLayout(ReviewPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.summaryLabel = QLabel(ReviewPage)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.summaryLabel)

        self.findingsList = QListWidget(ReviewPage)
        self.findingsList.setObjectName(u"findingsList")
        self.findingsList.setMinimumSize(QSize(0, 120))
        self.findingsList.setWordWrap(True)

        self.pageLayout.addWidget(self.findingsList)

        self.exportBox = QGroupBox(ReviewPage)
        self.exportBox.setObjectName(u"exportBox")
        self.exportLayout = QGridLayout(self.exportBox)
        self.exportLayout.setObjectName(u"exportLayout")
        self.exportXlsxButton = QPushButton(self.exportBox)
        self.exportXlsxButton.setObjectName(u"exportXlsxButton")

        self.exportLayout.addWidget(self.exportXlsxButton, 0, 0, 1, 1)

        self.importXlsxButton = QPushButton(self.exportBox)
        self.importXlsxButton.setObjectName(u"importXlsxButton")

        self.exportLayout.addWidget(self.importXlsxButton, 0, 1, 1, 1)

        self.exportLetterButton = QPushButton(self.exportBox)
        self.exportLetterButton.setObjectName(u"exportLetterButton")

        self.exportLayout.addWidget(self.exportLetterButton, 0, 2, 1, 1)

        self.exportDocumentButton = QPushButton(self.exportBox)
        self.exportDocumentButton.setObjectName(u"exportDocumentButton")

        self.exportLayout.addWidget(self.exportDocumentButton, 1, 0, 1, 1)

        self.exportPackageButton = QPushButton(self.exportBox)
        self.exportPackageButton.setObjectName(u"exportPackageButton")

        self.exportLayout.addWidget(self.exportPackageButton, 1, 1, 1, 1)

        self.verifyPackageButton = QPushButton(self.exportBox)
        self.verifyPackageButton.setObjectName(u"verifyPackageButton")

        self.exportLayout.addWidget(self.verifyPackageButton, 1, 2, 1, 1)

        self.exportDocxButton = QPushButton(self.exportBox)
        self.exportDocxButton.setObjectName(u"exportDocxButton")

        self.exportLayout.addWidget(self.exportDocxButton, 2, 0, 1, 1)

        self.draftHintLabel = QLabel(self.exportBox)
        self.draftHintLabel.setObjectName(u"draftHintLabel")
        self.draftHintLabel.setWordWrap(True)

        self.exportLayout.addWidget(self.draftHintLabel, 3, 0, 1, 3)


        self.pageLayout.addWidget(self.exportBox)


        self.retranslateUi(ReviewPage)

        QMetaObject.connectSlotsByName(ReviewPage)
    # setupUi

    def retranslateUi(self, ReviewPage):
#if QT_CONFIG(accessibility)
        self.summaryLabel.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u68c0\u67e5\u7ed3\u679c", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.findingsList.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5c1a\u7f3a\u7684\u5185\u5bb9", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.findingsList.setAccessibleDescription(QCoreApplication.translate("ReviewPage", u"\u6309\u56de\u8f66\u6216\u5355\u51fb\u4e00\u9879\uff0c\u8f6c\u5230\u8be5\u9875", None))
#endif // QT_CONFIG(accessibility)
        self.exportBox.setTitle(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u4e0e\u63d0\u4ea4", None))
        self.exportXlsxButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u81ea\u8bc4\u8868\uff08Excel\uff09\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportXlsxButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u81ea\u8bc4\u8868", None))
#endif // QT_CONFIG(accessibility)
        self.importXlsxButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u5165 Excel\u2026", None))
#if QT_CONFIG(accessibility)
        self.importXlsxButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u5165 Excel \u81ea\u8bc4\u8868", None))
#endif // QT_CONFIG(accessibility)
        self.exportLetterButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u627f\u8bfa\u4e66\uff08PDF\uff09\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportLetterButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u627f\u8bfa\u4e66", None))
#endif // QT_CONFIG(accessibility)
        self.exportDocumentButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u5b8c\u6574\u81ea\u8bc4\u6750\u6599\uff08PDF\uff09\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportDocumentButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u5b8c\u6574\u81ea\u8bc4\u6750\u6599", None))
#endif // QT_CONFIG(accessibility)
        self.exportPackageButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u63d0\u4ea4\u6750\u6599\u5305\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportPackageButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u63d0\u4ea4\u6750\u6599\u5305", None))
#endif // QT_CONFIG(accessibility)
        self.verifyPackageButton.setText(QCoreApplication.translate("ReviewPage", u"\u6821\u9a8c\u63d0\u4ea4\u6750\u6599\u5305\u2026", None))
#if QT_CONFIG(accessibility)
        self.verifyPackageButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u6821\u9a8c\u63d0\u4ea4\u6750\u6599\u5305", None))
#endif // QT_CONFIG(accessibility)
        self.exportDocxButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u5b8c\u6574\u81ea\u8bc4\u6750\u6599\uff08Word\uff09\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportDocxButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u51fa\u5b8c\u6574\u81ea\u8bc4\u6750\u6599\uff08Word\uff09", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

