"""Generated from resources/ui/review_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject, QSize
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QGroupBox, QLabel, QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout

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
        self.importXlsxButton = QPushButton(self.exportBox)
        self.importXlsxButton.setObjectName(u"importXlsxButton")

        self.exportLayout.addWidget(self.importXlsxButton, 0, 0, 1, 1)

        self.verifyPackageButton = QPushButton(self.exportBox)
        self.verifyPackageButton.setObjectName(u"verifyPackageButton")

        self.exportLayout.addWidget(self.verifyPackageButton, 0, 1, 1, 1)

        self.draftHintLabel = QLabel(self.exportBox)
        self.draftHintLabel.setObjectName(u"draftHintLabel")
        self.draftHintLabel.setWordWrap(True)

        self.exportLayout.addWidget(self.draftHintLabel, 1, 0, 1, 3)


        self.pageLayout.addWidget(self.exportBox)

        self.departmentsBox = QGroupBox(ReviewPage)
        self.departmentsBox.setObjectName(u"departmentsBox")
        self.departmentsLayout = QVBoxLayout(self.departmentsBox)
        self.departmentsLayout.setObjectName(u"departmentsLayout")
        self.departmentsHintLabel = QLabel(self.departmentsBox)
        self.departmentsHintLabel.setObjectName(u"departmentsHintLabel")
        self.departmentsHintLabel.setWordWrap(True)

        self.departmentsLayout.addWidget(self.departmentsHintLabel)

        self.trackingTable = QTableWidget(self.departmentsBox)
        if (self.trackingTable.columnCount() < 6):
            self.trackingTable.setColumnCount(6)
        __qtablewidgetitem = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.trackingTable.setHorizontalHeaderItem(5, __qtablewidgetitem5)
        self.trackingTable.setObjectName(u"trackingTable")
        self.trackingTable.setMinimumSize(QSize(0, 140))
        self.trackingTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.trackingTable.setColumnCount(6)

        self.departmentsLayout.addWidget(self.trackingTable)

        self.distributeButton = QPushButton(self.departmentsBox)
        self.distributeButton.setObjectName(u"distributeButton")

        self.departmentsLayout.addWidget(self.distributeButton)


        self.pageLayout.addWidget(self.departmentsBox)


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
        self.importXlsxButton.setText(QCoreApplication.translate("ReviewPage", u"\u5bfc\u5165 Excel\u2026", None))
#if QT_CONFIG(accessibility)
        self.importXlsxButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5bfc\u5165 Excel \u81ea\u8bc4\u8868", None))
#endif // QT_CONFIG(accessibility)
        self.verifyPackageButton.setText(QCoreApplication.translate("ReviewPage", u"\u6821\u9a8c\u63d0\u4ea4\u6750\u6599\u5305\u2026", None))
#if QT_CONFIG(accessibility)
        self.verifyPackageButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u6821\u9a8c\u63d0\u4ea4\u6750\u6599\u5305", None))
#endif // QT_CONFIG(accessibility)
        self.departmentsBox.setTitle(QCoreApplication.translate("ReviewPage", u"\u90e8\u95e8\u5206\u53d1\u4e0e\u56de\u6536", None))
        ___qtablewidgetitem = self.trackingTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("ReviewPage", u"\u90e8\u95e8", None))
        ___qtablewidgetitem1 = self.trackingTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("ReviewPage", u"\u8d1f\u8d23\u6307\u6807", None))
        ___qtablewidgetitem2 = self.trackingTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("ReviewPage", u"\u53d1\u51fa", None))
        ___qtablewidgetitem3 = self.trackingTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("ReviewPage", u"\u6536\u56de", None))
        ___qtablewidgetitem4 = self.trackingTable.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(QCoreApplication.translate("ReviewPage", u"\u5df2\u5bfc\u5165\u4fee\u6539", None))
        ___qtablewidgetitem5 = self.trackingTable.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(QCoreApplication.translate("ReviewPage", u"\u5f85\u6838\u5bf9\u51b2\u7a81", None))
#if QT_CONFIG(accessibility)
        self.trackingTable.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5404\u90e8\u95e8\u81ea\u8bc4\u8868\u7684\u53d1\u51fa\u4e0e\u56de\u6536", None))
#endif // QT_CONFIG(accessibility)
        self.distributeButton.setText(QCoreApplication.translate("ReviewPage", u"\u5206\u53d1\u7ed9\u5404\u90e8\u95e8\uff08\u6bcf\u4e2a\u90e8\u95e8\u4e00\u4efd Excel\uff09\u2026", None))
#if QT_CONFIG(accessibility)
        self.distributeButton.setAccessibleName(QCoreApplication.translate("ReviewPage", u"\u5206\u53d1\u81ea\u8bc4\u8868\u7ed9\u5404\u90e8\u95e8", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

