"""Generated from resources/ui/cover_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_CoverPage(object):
    def setupUi(self, CoverPage):
        if not CoverPage.objectName():
            CoverPage.setObjectName(u"CoverPage")
        self.pageLayout = QVBoxLayout(CoverPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.documentTitleLabel = QLabel(CoverPage)
        self.documentTitleLabel.setObjectName(u"documentTitleLabel")
        self.documentTitleLabel.setProperty("alignment", "AlignCenter")
        self.documentTitleLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.documentTitleLabel)

        self.introLabel = QLabel(CoverPage)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.introLabel)

        self.fieldsLayout = QFormLayout()
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.pageLayout.addLayout(self.fieldsLayout)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.bottomSpacer)


        self.retranslateUi(CoverPage)

        QMetaObject.connectSlotsByName(CoverPage)
    # setupUi

    def retranslateUi(self, CoverPage):
#if QT_CONFIG(accessibility)
        self.documentTitleLabel.setAccessibleName(QCoreApplication.translate("CoverPage", u"\u6750\u6599\u6807\u9898", None))
#endif // QT_CONFIG(accessibility)
        self.introLabel.setText(QCoreApplication.translate("CoverPage", u"\u8bf7\u586b\u5199\u5c01\u9762\u4fe1\u606f\u3002\u6240\u6709\u5185\u5bb9\u5728\u8f93\u5165\u65f6\u81ea\u52a8\u4fdd\u5b58\u5230\u9879\u76ee\u6587\u4ef6\u3002", None))
        pass
    # retranslateUi

