<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that qtbase_zh_CN.qm (Qt 6.12) lacks: the file dialog's labels gained a
     mnemonic ("Look in:" became "&Look in:") and the file type column moved to
     QAbstractFileIconProvider, so the shipped catalogue no longer matches them. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
    <message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Folder</source><translation>文件夹</translation></message>
    <message><source>Drive</source><translation>驱动器</translation></message>
    <message><source>File</source><translation>文件</translation></message>
    <message><source>Shortcut</source><translation>快捷方式</translation></message>
    <message><source>Unknown</source><translation>未知</translation></message>
</context>
</TS>
