"""Generated from resources/ui/commitment_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_CommitmentPage(object):
    def setupUi(self, CommitmentPage):
        if not CommitmentPage.objectName():
            CommitmentPage.setObjectName(u"CommitmentPage")
        self.pageLayout = QVBoxLayout(CommitmentPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.letterTitleLabel = QLabel(CommitmentPage)
        self.letterTitleLabel.setObjectName(u"letterTitleLabel")
        self.letterTitleLabel.setProperty("alignment", "AlignCenter")
        self.letterTitleLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.letterTitleLabel)

        self.bodyLabel = QLabel(CommitmentPage)
        self.bodyLabel.setObjectName(u"bodyLabel")
        self.bodyLabel.setWordWrap(True)
        self.bodyLabel.setProperty("textInteractionFlags", "TextSelectableByMouse")

        self.pageLayout.addWidget(self.bodyLabel)

        self.fieldsLayout = QFormLayout()
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.pageLayout.addLayout(self.fieldsLayout)

        self.copyCompanyButton = QPushButton(CommitmentPage)
        self.copyCompanyButton.setObjectName(u"copyCompanyButton")

        self.pageLayout.addWidget(self.copyCompanyButton)

        self.sealHintLabel = QLabel(CommitmentPage)
        self.sealHintLabel.setObjectName(u"sealHintLabel")
        self.sealHintLabel.setWordWrap(True)

        self.pageLayout.addWidget(self.sealHintLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.bottomSpacer)


        self.retranslateUi(CommitmentPage)

        QMetaObject.connectSlotsByName(CommitmentPage)
    # setupUi

    def retranslateUi(self, CommitmentPage):
#if QT_CONFIG(accessibility)
        self.letterTitleLabel.setAccessibleName(QCoreApplication.translate("CommitmentPage", u"\u627f\u8bfa\u4e66\u6807\u9898", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bodyLabel.setAccessibleName(QCoreApplication.translate("CommitmentPage", u"\u627f\u8bfa\u4e66\u6b63\u6587", None))
#endif // QT_CONFIG(accessibility)
        self.copyCompanyButton.setText(QCoreApplication.translate("CommitmentPage", u"\u4f7f\u7528\u5c01\u9762\u4e0a\u7684\u4f01\u4e1a\u540d\u79f0(&C)", None))
#if QT_CONFIG(accessibility)
        self.copyCompanyButton.setAccessibleName(QCoreApplication.translate("CommitmentPage", u"\u4f7f\u7528\u5c01\u9762\u4e0a\u7684\u4f01\u4e1a\u540d\u79f0", None))
#endif // QT_CONFIG(accessibility)
        self.sealHintLabel.setText(QCoreApplication.translate("CommitmentPage", u"\u5bfc\u51fa\u7684\u627f\u8bfa\u4e66\u6253\u5370\u540e\uff0c\u7531\u8d1f\u8d23\u4eba\u7b7e\u5b57\u5e76\u52a0\u76d6\u516c\u7ae0\u3002", None))
        pass
    # retranslateUi

