"""Generated from resources/ui/welcome_page.ui by csr_desktop.ui.build_forms; do not edit."""
from PySide6.QtCore import QCoreApplication, QMetaObject
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

class Ui_WelcomePage(object):
    def setupUi(self, WelcomePage):
        if not WelcomePage.objectName():
            WelcomePage.setObjectName(u"WelcomePage")
        self.welcomeLayout = QVBoxLayout(WelcomePage)
        self.welcomeLayout.setObjectName(u"welcomeLayout")
        self.welcomeTopSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.welcomeLayout.addItem(self.welcomeTopSpacer)

        self.welcomeLabel = QLabel(WelcomePage)
        self.welcomeLabel.setObjectName(u"welcomeLabel")
        self.welcomeLabel.setProperty("textFormat", "RichText")
        self.welcomeLabel.setProperty("alignment", "AlignCenter")
        self.welcomeLabel.setWordWrap(True)

        self.welcomeLayout.addWidget(self.welcomeLabel)

        self.welcomeHintLabel = QLabel(WelcomePage)
        self.welcomeHintLabel.setObjectName(u"welcomeHintLabel")
        self.welcomeHintLabel.setProperty("alignment", "AlignCenter")
        self.welcomeHintLabel.setWordWrap(True)

        self.welcomeLayout.addWidget(self.welcomeHintLabel)

        self.welcomeButtons = QHBoxLayout()
        self.welcomeButtons.setObjectName(u"welcomeButtons")
        self.welcomeLeftSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.welcomeButtons.addItem(self.welcomeLeftSpacer)

        self.newButton = QPushButton(WelcomePage)
        self.newButton.setObjectName(u"newButton")

        self.welcomeButtons.addWidget(self.newButton)

        self.openButton = QPushButton(WelcomePage)
        self.openButton.setObjectName(u"openButton")

        self.welcomeButtons.addWidget(self.openButton)

        self.welcomeRightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.welcomeButtons.addItem(self.welcomeRightSpacer)


        self.welcomeLayout.addLayout(self.welcomeButtons)

        self.welcomeBottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.welcomeLayout.addItem(self.welcomeBottomSpacer)


        self.retranslateUi(WelcomePage)

        QMetaObject.connectSlotsByName(WelcomePage)
    # setupUi

    def retranslateUi(self, WelcomePage):
        self.welcomeLabel.setText(QCoreApplication.translate("WelcomePage", u"<h2>\u4e92\u8054\u7f51\u5e73\u53f0\u4f01\u4e1a\u5c65\u884c\u793e\u4f1a\u8d23\u4efb\u81ea\u8bc4\u6750\u6599</h2>", None))
#if QT_CONFIG(accessibility)
        self.welcomeLabel.setAccessibleName(QCoreApplication.translate("WelcomePage", u"\u6b22\u8fce", None))
#endif // QT_CONFIG(accessibility)
        self.welcomeHintLabel.setText(QCoreApplication.translate("WelcomePage", u"\u65b0\u5efa\u4e00\u4e2a\u9879\u76ee\u6587\u4ef6\u5f00\u59cb\u586b\u5199\uff0c\u6216\u6253\u5f00\u5df2\u6709\u7684\u9879\u76ee\u6587\u4ef6\u3002\u6240\u6709\u5185\u5bb9\u5728\u8f93\u5165\u65f6\u81ea\u52a8\u4fdd\u5b58\u3002", None))
        self.newButton.setText(QCoreApplication.translate("WelcomePage", u"\u65b0\u5efa\u9879\u76ee(&N)\u2026", None))
#if QT_CONFIG(accessibility)
        self.newButton.setAccessibleName(QCoreApplication.translate("WelcomePage", u"\u65b0\u5efa\u9879\u76ee", None))
#endif // QT_CONFIG(accessibility)
        self.openButton.setText(QCoreApplication.translate("WelcomePage", u"\u6253\u5f00\u9879\u76ee(&O)\u2026", None))
#if QT_CONFIG(accessibility)
        self.openButton.setAccessibleName(QCoreApplication.translate("WelcomePage", u"\u6253\u5f00\u9879\u76ee", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

