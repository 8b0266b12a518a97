"""Generated from resources/ui/indicator_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject, QSize
from PySide6.QtWidgets import QAbstractItemView, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout

class Ui_IndicatorPage(object):
    def setupUi(self, IndicatorPage):
        if not IndicatorPage.objectName():
            IndicatorPage.setObjectName(u"IndicatorPage")
        self.pageLayout = QVBoxLayout(IndicatorPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pathLabel = QLabel(IndicatorPage)
        self.pathLabel.setObjectName(u"pathLabel")
        self.pathLabel.setWordWrap(True)
        self.pathLabel.setProperty("textInteractionFlags", "TextSelectableByMouse")

        self.pageLayout.addWidget(self.pathLabel)

        self.reviewFrame = QFrame(IndicatorPage)
        self.reviewFrame.setObjectName(u"reviewFrame")
        self.reviewFrame.setFrameShape(QFrame.Shape.StyledPanel)
        self.reviewFrame.setStyleSheet(u"QFrame#reviewFrame { background: #fff4ce; border: 1px solid #d9a400; border-radius: 3px; }")
        self.reviewLayout = QHBoxLayout(self.reviewFrame)
        self.reviewLayout.setObjectName(u"reviewLayout")
        self.reviewLabel = QLabel(self.reviewFrame)
        self.reviewLabel.setObjectName(u"reviewLabel")
        self.reviewLabel.setWordWrap(True)

        self.reviewLayout.addWidget(self.reviewLabel)

        self.confirmButton = QPushButton(self.reviewFrame)
        self.confirmButton.setObjectName(u"confirmButton")

        self.reviewLayout.addWidget(self.confirmButton)

        self.reviewLayout.setStretch(0, 1)

        self.pageLayout.addWidget(self.reviewFrame)

        self.descriptionBox = QGroupBox(IndicatorPage)
        self.descriptionBox.setObjectName(u"descriptionBox")
        self.descriptionLayout = QVBoxLayout(self.descriptionBox)
        self.descriptionLayout.setObjectName(u"descriptionLayout")
        self.descriptionLabel = QLabel(self.descriptionBox)
        self.descriptionLabel.setObjectName(u"descriptionLabel")
        self.descriptionLabel.setWordWrap(True)
        self.descriptionLabel.setProperty("textInteractionFlags", "TextSelectableByMouse")

        self.descriptionLayout.addWidget(self.descriptionLabel)


        self.pageLayout.addWidget(self.descriptionBox)

        self.ratingBox = QGroupBox(IndicatorPage)
        self.ratingBox.setObjectName(u"ratingBox")
        self.ratingLayout = QHBoxLayout(self.ratingBox)
        self.ratingLayout.setObjectName(u"ratingLayout")
        self.rating1 = QRadioButton(self.ratingBox)
        self.rating1.setObjectName(u"rating1")

        self.ratingLayout.addWidget(self.rating1)

        self.rating2 = QRadioButton(self.ratingBox)
        self.rating2.setObjectName(u"rating2")

        self.ratingLayout.addWidget(self.rating2)

        self.rating3 = QRadioButton(self.ratingBox)
        self.rating3.setObjectName(u"rating3")

        self.ratingLayout.addWidget(self.rating3)

        self.rating4 = QRadioButton(self.ratingBox)
        self.rating4.setObjectName(u"rating4")

        self.ratingLayout.addWidget(self.rating4)

        self.rating5 = QRadioButton(self.ratingBox)
        self.rating5.setObjectName(u"rating5")

        self.ratingLayout.addWidget(self.rating5)

        self.ratingSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.ratingLayout.addItem(self.ratingSpacer)


        self.pageLayout.addWidget(self.ratingBox)

        self.remarkLayout = QFormLayout()
        self.remarkLayout.setObjectName(u"remarkLayout")
        self.remarkLabel = QLabel(IndicatorPage)
        self.remarkLabel.setObjectName(u"remarkLabel")

        self.remarkLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.remarkLabel)

        self.remarkEdit = QLineEdit(IndicatorPage)
        self.remarkEdit.setObjectName(u"remarkEdit")

        self.remarkLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.remarkEdit)

        self.departmentLabel = QLabel(IndicatorPage)
        self.departmentLabel.setObjectName(u"departmentLabel")

        self.remarkLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.departmentLabel)

        self.departmentEdit = QLineEdit(IndicatorPage)
        self.departmentEdit.setObjectName(u"departmentEdit")
        self.departmentEdit.setMaxLength(60)

        self.remarkLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.departmentEdit)


        self.pageLayout.addLayout(self.remarkLayout)

        self.narrativeHeader = QHBoxLayout()
        self.narrativeHeader.setObjectName(u"narrativeHeader")
        self.narrativeLabel = QLabel(IndicatorPage)
        self.narrativeLabel.setObjectName(u"narrativeLabel")

        self.narrativeHeader.addWidget(self.narrativeLabel)

        self.narrativeSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.narrativeHeader.addItem(self.narrativeSpacer)

        self.charCountLabel = QLabel(IndicatorPage)
        self.charCountLabel.setObjectName(u"charCountLabel")

        self.narrativeHeader.addWidget(self.charCountLabel)


        self.pageLayout.addLayout(self.narrativeHeader)

        self.narrativeEdit = QPlainTextEdit(IndicatorPage)
        self.narrativeEdit.setObjectName(u"narrativeEdit")
        self.narrativeEdit.setMinimumSize(QSize(0, 80))
        self.narrativeEdit.setTabChangesFocus(True)

        self.pageLayout.addWidget(self.narrativeEdit)

        self.evidenceBox = QGroupBox(IndicatorPage)
        self.evidenceBox.setObjectName(u"evidenceBox")
        self.evidenceLayout = QVBoxLayout(self.evidenceBox)
        self.evidenceLayout.setObjectName(u"evidenceLayout")
        self.evidenceTable = QTableWidget(self.evidenceBox)
        if (self.evidenceTable.columnCount() < 4):
            self.evidenceTable.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.evidenceTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.evidenceTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.evidenceTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.evidenceTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.evidenceTable.setObjectName(u"evidenceTable")
        self.evidenceTable.setMinimumSize(QSize(0, 96))
        self.evidenceTable.setAcceptDrops(True)
        self.evidenceTable.setTabKeyNavigation(False)
        self.evidenceTable.setAlternatingRowColors(True)
        self.evidenceTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.evidenceTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evidenceTable.setColumnCount(4)
        self.evidenceTable.horizontalHeader().setStretchLastSection(True)
        self.evidenceTable.verticalHeader().setVisible(False)

        self.evidenceLayout.addWidget(self.evidenceTable)

        self.evidenceButtons = QHBoxLayout()
        self.evidenceButtons.setObjectName(u"evidenceButtons")
        self.addButton = QPushButton(self.evidenceBox)
        self.addButton.setObjectName(u"addButton")

        self.evidenceButtons.addWidget(self.addButton)

        self.attachButton = QPushButton(self.evidenceBox)
        self.attachButton.setObjectName(u"attachButton")

        self.evidenceButtons.addWidget(self.attachButton)

        self.openButton = QPushButton(self.evidenceBox)
        self.openButton.setObjectName(u"openButton")

        self.evidenceButtons.addWidget(self.openButton)

        self.upButton = QPushButton(self.evidenceBox)
        self.upButton.setObjectName(u"upButton")

        self.evidenceButtons.addWidget(self.upButton)

        self.downButton = QPushButton(self.evidenceBox)
        self.downButton.setObjectName(u"downButton")

        self.evidenceButtons.addWidget(self.downButton)

        self.removeButton = QPushButton(self.evidenceBox)
        self.removeButton.setObjectName(u"removeButton")

        self.evidenceButtons.addWidget(self.removeButton)

        self.evidenceSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.evidenceButtons.addItem(self.evidenceSpacer)

        self.dropHintLabel = QLabel(self.evidenceBox)
        self.dropHintLabel.setObjectName(u"dropHintLabel")

        self.evidenceButtons.addWidget(self.dropHintLabel)


        self.evidenceLayout.addLayout(self.evidenceButtons)


        self.pageLayout.addWidget(self.evidenceBox)

#if QT_CONFIG(shortcut)
        self.remarkLabel.setBuddy(self.remarkEdit)
        self.departmentLabel.setBuddy(self.departmentEdit)
        self.narrativeLabel.setBuddy(self.narrativeEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(IndicatorPage)

        QMetaObject.connectSlotsByName(IndicatorPage)
    # setupUi

    def retranslateUi(self, IndicatorPage):
#if QT_CONFIG(accessibility)
        self.pathLabel.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u6307\u6807\u4f4d\u7f6e", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.reviewFrame.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5f85\u590d\u6838", None))
#endif // QT_CONFIG(accessibility)
        self.reviewLabel.setText(QCoreApplication.translate("IndicatorPage", u"\u5f85\u590d\u6838\uff1a\u672c\u9879\u5185\u5bb9\u7531\u4e0a\u4e00\u5e74\u5ea6\u9879\u76ee\u5e26\u5165\uff0c\u8bf7\u6838\u5bf9\u540e\u786e\u8ba4\u3002", None))
        self.confirmButton.setText(QCoreApplication.translate("IndicatorPage", u"\u5df2\u590d\u6838\uff0c\u786e\u8ba4\u672c\u9879(&K)", None))
#if QT_CONFIG(accessibility)
        self.confirmButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u786e\u8ba4\u672c\u9879\u5df2\u590d\u6838", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.confirmButton.setToolTip(QCoreApplication.translate("IndicatorPage", u"\u4e5f\u53ef\u6309 Alt+K", None))
#endif // QT_CONFIG(tooltip)
        self.descriptionBox.setTitle(QCoreApplication.translate("IndicatorPage", u"\u6307\u6807\u8bf4\u660e", None))
#if QT_CONFIG(accessibility)
        self.descriptionLabel.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u6307\u6807\u8bf4\u660e", None))
#endif // QT_CONFIG(accessibility)
        self.ratingBox.setTitle(QCoreApplication.translate("IndicatorPage", u"\u4f01\u4e1a\u81ea\u8bc4\uff08\u53ef\u6309\u6570\u5b57\u952e 1\u20135 \u9009\u62e9\uff09", None))
#if QT_CONFIG(accessibility)
        self.ratingBox.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u4f01\u4e1a\u81ea\u8bc4", None))
#endif // QT_CONFIG(accessibility)
        self.remarkLabel.setText(QCoreApplication.translate("IndicatorPage", u"\u5907\u6ce8(&M)", None))
#if QT_CONFIG(accessibility)
        self.remarkEdit.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5907\u6ce8", None))
#endif // QT_CONFIG(accessibility)
        self.remarkEdit.setPlaceholderText(QCoreApplication.translate("IndicatorPage", u"\u81ea\u8bc4\u8868\u201c\u5907\u6ce8\u201d\u680f\uff0c\u53ef\u4e0d\u586b", None))
        self.departmentLabel.setText(QCoreApplication.translate("IndicatorPage", u"\u8d1f\u8d23\u90e8\u95e8(&D)", None))
#if QT_CONFIG(accessibility)
        self.departmentEdit.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u8d1f\u8d23\u90e8\u95e8", None))
#endif // QT_CONFIG(accessibility)
        self.departmentEdit.setPlaceholderText(QCoreApplication.translate("IndicatorPage", u"\u5982\uff1a\u6cd5\u52a1\u90e8\uff08\u5206\u53d1\u65f6\u6bcf\u4e2a\u90e8\u95e8\u4e00\u4efd Excel\uff0c\u53ea\u542b\u5176\u8d1f\u8d23\u7684\u6307\u6807\uff09", None))
        self.narrativeLabel.setText(QCoreApplication.translate("IndicatorPage", u"\u76f8\u5173\u5de5\u4f5c\u60c5\u51b5\u4ecb\u7ecd(&W)", None))
#if QT_CONFIG(accessibility)
        self.charCountLabel.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5b57\u6570", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.narrativeEdit.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u76f8\u5173\u5de5\u4f5c\u60c5\u51b5\u4ecb\u7ecd", None))
#endif // QT_CONFIG(accessibility)
        self.narrativeEdit.setPlaceholderText(QCoreApplication.translate("IndicatorPage", u"\u4ecb\u7ecd\u672c\u9879\u5de5\u4f5c\u7684\u5f00\u5c55\u60c5\u51b5\u3001\u673a\u5236\u548c\u6210\u6548\uff08\u8f93\u5165\u65f6\u81ea\u52a8\u4fdd\u5b58\uff09", None))
        self.evidenceBox.setTitle(QCoreApplication.translate("IndicatorPage", u"\u4f50\u8bc1\u6750\u6599\u76ee\u5f55", None))
        ___qtablewidgetitem = self.evidenceTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("IndicatorPage", u"\u5e8f\u53f7", None))
        ___qtablewidgetitem1 = self.evidenceTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("IndicatorPage", u"\u6750\u6599\u540d\u79f0", None))
        ___qtablewidgetitem2 = self.evidenceTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("IndicatorPage", u"\u5907\u6ce8", None))
        ___qtablewidgetitem3 = self.evidenceTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("IndicatorPage", u"\u6587\u4ef6", None))
#if QT_CONFIG(accessibility)
        self.evidenceTable.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u4f50\u8bc1\u6750\u6599\u76ee\u5f55", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.evidenceTable.setAccessibleDescription(QCoreApplication.translate("IndicatorPage", u"\u53cc\u51fb\u6216\u6309 F2 \u4fee\u6539\u6750\u6599\u540d\u79f0\u548c\u5907\u6ce8\uff1b\u53ef\u5c06\u6587\u4ef6\u62d6\u653e\u5230\u6b64\u5904", None))
#endif // QT_CONFIG(accessibility)
        self.addButton.setText(QCoreApplication.translate("IndicatorPage", u"\u6dfb\u52a0\u6587\u4ef6(&A)\u2026", None))
#if QT_CONFIG(accessibility)
        self.addButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u6dfb\u52a0\u4f50\u8bc1\u6750\u6599\u6587\u4ef6", None))
#endif // QT_CONFIG(accessibility)
        self.attachButton.setText(QCoreApplication.translate("IndicatorPage", u"\u66f4\u6362\u6587\u4ef6\u2026", None))
#if QT_CONFIG(accessibility)
        self.attachButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u4e3a\u6240\u9009\u6750\u6599\u9644\u4e0a\u6216\u66f4\u6362\u6587\u4ef6", None))
#endif // QT_CONFIG(accessibility)
        self.openButton.setText(QCoreApplication.translate("IndicatorPage", u"\u6253\u5f00\u6587\u4ef6(&O)", None))
#if QT_CONFIG(accessibility)
        self.openButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u6253\u5f00\u6240\u9009\u6750\u6599\u7684\u6587\u4ef6", None))
#endif // QT_CONFIG(accessibility)
        self.upButton.setText(QCoreApplication.translate("IndicatorPage", u"\u4e0a\u79fb(&U)", None))
#if QT_CONFIG(accessibility)
        self.upButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5c06\u6240\u9009\u6750\u6599\u4e0a\u79fb", None))
#endif // QT_CONFIG(accessibility)
        self.downButton.setText(QCoreApplication.translate("IndicatorPage", u"\u4e0b\u79fb(&J)", None))
#if QT_CONFIG(accessibility)
        self.downButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5c06\u6240\u9009\u6750\u6599\u4e0b\u79fb", None))
#endif // QT_CONFIG(accessibility)
        self.removeButton.setText(QCoreApplication.translate("IndicatorPage", u"\u5220\u9664(&R)", None))
#if QT_CONFIG(accessibility)
        self.removeButton.setAccessibleName(QCoreApplication.translate("IndicatorPage", u"\u5220\u9664\u6240\u9009\u6750\u6599", None))
#endif // QT_CONFIG(accessibility)
        self.dropHintLabel.setText(QCoreApplication.translate("IndicatorPage", u"\u53ef\u5c06\u6587\u4ef6\u62d6\u653e\u5230\u8868\u683c\u4e2d", None))
        pass
    # retranslateUi

